package io.tlswatch.tlsserver.certificate;

import io.tlswatch.tlsserver.tls.ServerKeyMaterial;
import io.tlswatch.tlsserver.tls.ServerTlsContext;

import java.security.cert.X509Certificate;
import java.util.Objects;

/** What reading the certificate files gave: a context ready to serve, or a refusal with its reason. */
public sealed interface CertificateCandidate {

    /**
     * @param warning a reason it would have been refused as a rotation (its validity window) that was let through
     *                because nothing else could be served at start-up; {@code null} when none
     */
    record Accepted(ServerTlsContext context, ServerKeyMaterial material, String warning) implements CertificateCandidate {
        public Accepted {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(material, "material");
        }

        public X509Certificate leaf() {
            return material.leaf();
        }
    }

    /**
     * @param reason for a person, without a stack trace
     * @param leaf   the refused candidate's leaf when it could be read at all, else {@code null}
     */
    record Refused(String reason, X509Certificate leaf) implements CertificateCandidate {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
