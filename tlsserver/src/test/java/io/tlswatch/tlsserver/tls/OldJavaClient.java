package io.tlswatch.tlsserver.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.security.cert.X509Certificate;

/**
 * A JDK client limited to one old protocol version, run in a child JVM whose {@code jdk.tls.disabledAlgorithms}
 * no longer lists TLS 1.0 and 1.1: what an outdated Java client sends. Trusts everything, since only the server's
 * view of the handshake matters here. Exits 0 when the handshake succeeded.
 */
public final class OldJavaClient {

    private OldJavaClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String protocol = args[1];
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.setEnabledProtocols(new String[]{protocol});
            socket.startHandshake();
            System.out.println("negotiated " + socket.getSession().getProtocol());
        } catch (Exception e) {
            System.out.println("failed: " + e);
            System.exit(1);
        }
    }
}
