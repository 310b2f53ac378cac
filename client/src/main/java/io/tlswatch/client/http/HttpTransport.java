package io.tlswatch.client.http;

import javax.net.ssl.HttpsURLConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;

/**
 * HTTP(S) requests over {@link HttpURLConnection}: on every runtime since Java 1.1, no thread of its own (so
 * closing the SDK leaves none behind), and every failure is the runtime's own exception, which is what the
 * failure classifier reads.
 */
public final class HttpTransport {

    private static final int MAX_BODY = 1024 * 1024;

    private final ClientTls tls;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public HttpTransport(ClientTls tls, Duration connectTimeout, Duration readTimeout) {
        this.tls = tls;
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    public ClientTls tls() {
        return tls;
    }

    public HttpResponse get(URI uri) throws IOException {
        return send("GET", uri, Collections.<String, String>emptyMap(), null);
    }

    public HttpResponse post(URI uri, Map<String, String> headers, byte[] body) throws IOException {
        return send("POST", uri, headers, body);
    }

    private HttpResponse send(String method, URI uri, Map<String, String> headers, byte[] body) throws IOException {
        URL url = uri.toURL();
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        if (connection instanceof HttpsURLConnection) {
            ((HttpsURLConnection) connection).setSSLSocketFactory(tls.socketFactory());
        }
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setRequestProperty("Accept", "application/json");
            for (Map.Entry<String, String> header : headers.entrySet()) {
                connection.setRequestProperty(header.getKey(), header.getValue());
            }
            if (body != null) {
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            // Before the body is read: once it is, the connection may be back in the keep-alive cache.
            String presented = connection instanceof HttpsURLConnection
                    ? presentedCertificate((HttpsURLConnection) connection) : null;
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] bytes = stream == null ? new byte[0] : readBounded(stream);
            return new HttpResponse(status, bytes, connection.getHeaderField("Retry-After"),
                    connection.getHeaderField("DPoP-Nonce"), connection.getHeaderField("Date"), presented);
        } catch (IOException | RuntimeException e) {
            connection.disconnect();
            throw e;
        }
    }

    /** The thumbprint of the certificate this client sent in the handshake, {@code null} when it sent none. */
    private static String presentedCertificate(HttpsURLConnection connection) throws IOException {
        Certificate[] presented;
        try {
            presented = connection.getLocalCertificates();
        } catch (IllegalStateException e) {
            return null; // no connection left to ask (an empty body): the same as no certificate
        }
        if (presented == null || presented.length == 0) {
            return null;
        }
        try {
            return CertificateThumbprint.of(presented[0]);
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the client certificate this client presented", e);
        }
    }

    private static byte[] readBounded(InputStream stream) throws IOException {
        try (InputStream in = stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (out.size() + n > MAX_BODY) {
                    throw new IOException("response body larger than " + MAX_BODY + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }
}
