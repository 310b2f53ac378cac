package io.tlswatch.collector.ingest;

/** What the {@code Report-Signature} header of a request showed. */
public sealed interface SignatureCheck {

    /** No signature: the report is accepted as unauthenticated. */
    record Unsigned() implements SignatureCheck {
    }

    /** Signed by the key whose RFC 7638 thumbprint is {@code jkt}, and the signature verified. */
    record Verified(String jkt) implements SignatureCheck {
    }

    /** A signature was given and does not verify: the request is refused, since a client must fix it. */
    record Invalid(String message) implements SignatureCheck {
    }
}
