package io.tlswatch.tlsserver.certificate;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

/**
 * Posts OCSP requests to a responder over HTTP (RFC 6960, appendix A) and finds a certificate's responder in its
 * Authority Information Access extension. Blocking: runs on the certificate manager's own thread.
 */
final class OcspClient {

    /** A responder's answer is a few kilobytes; anything much larger is not an OCSP response. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024;

    private final HttpClient http;
    private final Duration timeout;

    OcspClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The DER response, or the reason there is none; never throws. */
    Fetched fetch(URI responder, byte[] request) {
        try {
            HttpRequest post = HttpRequest.newBuilder(responder)
                    .timeout(timeout)
                    .header("Content-Type", "application/ocsp-request")
                    .header("Accept", "application/ocsp-response")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                    .build();
            HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return new Fetched(null, "the responder " + responder + " answered HTTP " + response.statusCode());
            }
            if (response.body().length > MAX_RESPONSE_BYTES) {
                return new Fetched(null, "the responder " + responder + " answered " + response.body().length
                        + " bytes, more than an OCSP response holds");
            }
            return new Fetched(response.body(), null);
        } catch (HttpTimeoutException e) {
            return new Fetched(null, "the responder " + responder + " did not answer within " + timeout);
        } catch (IOException e) {
            return new Fetched(null, "the responder " + responder + " is unreachable: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Fetched(null, "interrupted while asking " + responder);
        } catch (IllegalArgumentException e) {
            // The URL comes from the certificate (AIA): a host the HTTP client does not take (an underscore) or a
            // port out of range. Thrown, it would cost the manager the rotation under way and every later retry.
            return new Fetched(null, "the responder " + responder + " cannot be asked: " + e.getMessage());
        }
    }

    /** @param response the DER response, or {@code null} with {@code failure} saying why */
    record Fetched(byte[] response, String failure) {
    }

    /** The first http OCSP responder named in the certificate's Authority Information Access extension. */
    static Optional<URI> responderOf(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (extension == null) {
            return Optional.empty();
        }
        try {
            ASN1Primitive value = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
            for (AccessDescription description : AuthorityInformationAccess.getInstance(value).getAccessDescriptions()) {
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)
                        && description.getAccessLocation().getTagNo() == GeneralName.uniformResourceIdentifier) {
                    String url = description.getAccessLocation().getName().toString();
                    if (url.startsWith("http://") || url.startsWith("https://")) {
                        return Optional.of(URI.create(url));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
