package io.tlswatch.client.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The server's last verdict as kept on disk: a valid one with its token, the license's grace and the JWKS that
 * verified it (so the token can be checked again offline after a restart), or an invalid one with its code.
 */
public final class StoredVerdict {

    private final boolean valid;
    private final String code;
    private final String detail;
    private final String licenseId;
    private final Instant answeredAt;
    private final String token;
    private final Duration grace;
    private final String jwks;
    private final String certificateThumbprint;

    private StoredVerdict(boolean valid, String code, String detail, String licenseId, Instant answeredAt,
                          String token, Duration grace, String jwks, String certificateThumbprint) {
        this.valid = valid;
        this.code = Objects.requireNonNull(code, "code");
        this.detail = detail;
        this.licenseId = licenseId;
        this.answeredAt = Objects.requireNonNull(answeredAt, "answeredAt");
        this.token = token;
        this.grace = grace;
        this.jwks = jwks;
        this.certificateThumbprint = certificateThumbprint;
    }

    public static StoredVerdict valid(String detail, String licenseId, Instant answeredAt, String token,
                                      Duration grace, String jwks) {
        return valid(detail, licenseId, answeredAt, token, grace, jwks, null);
    }

    /**
     * @param certificateThumbprint the {@code x5t#S256} of the client certificate the token is bound to, or
     *                              {@code null} for a token bound to the installation's key
     */
    public static StoredVerdict valid(String detail, String licenseId, Instant answeredAt, String token,
                                      Duration grace, String jwks, String certificateThumbprint) {
        return new StoredVerdict(true, "VALID", detail, licenseId, answeredAt, Objects.requireNonNull(token, "token"),
                Objects.requireNonNull(grace, "grace"), jwks, certificateThumbprint);
    }

    public static StoredVerdict invalid(String code, String detail, String licenseId, Instant answeredAt) {
        return new StoredVerdict(false, code, detail, licenseId, answeredAt, null, null, null, null);
    }

    public boolean valid() {
        return valid;
    }

    public String code() {
        return code;
    }

    public String detail() {
        return detail;
    }

    public String licenseId() {
        return licenseId;
    }

    public Instant answeredAt() {
        return answeredAt;
    }

    public String token() {
        return token;
    }

    public Duration grace() {
        return grace;
    }

    public String jwks() {
        return jwks;
    }

    /** The client certificate a certificate-bound token is bound to; {@code null} for a key-bound one. */
    public String certificateThumbprint() {
        return certificateThumbprint;
    }
}
