import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.net.URL;
import java.util.List;

/**
 * A JDK TLS client that only has to send its ClientHello to the capture listener (capture.py),
 * which closes the connection right after; the resulting handshake failure is expected.
 *
 * Usage: java HelloClient.java url PORT              (HttpsURLConnection to https://127.0.0.1:PORT/)
 *        java HelloClient.java socket PORT SNI_HOST  (a plain SSLSocket with SNI set, ALPN h2,http/1.1)
 */
public class HelloClient {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        try {
            if (args[0].equals("url")) {
                HttpsURLConnection c = (HttpsURLConnection) new URL("https://127.0.0.1:" + port + "/").openConnection();
                c.setConnectTimeout(5000);
                c.setReadTimeout(5000);
                c.getResponseCode();
            } else {
                SSLSocket s = (SSLSocket) SSLSocketFactory.getDefault().createSocket("127.0.0.1", port);
                SSLParameters p = s.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(args[2])));
                p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
                s.setSSLParameters(p);
                s.setSoTimeout(5000);
                s.startHandshake();
            }
        } catch (Exception expected) {
            System.err.println("handshake ended as expected: " + expected);
        }
    }
}
