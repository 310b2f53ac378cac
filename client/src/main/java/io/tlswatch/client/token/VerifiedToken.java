package io.tlswatch.client.token;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** An entitlement token whose signature, issuer, audience, client id and key or certificate binding were checked. */
public final class VerifiedToken {

    private final String token;
    private final String kid;
    private final String licenseId;
    private final String clientId;
    private final List<String> entitlements;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final String certificateThumbprint;

    public VerifiedToken(String token, String kid, String licenseId, String clientId, List<String> entitlements,
                         Instant issuedAt, Instant expiresAt) {
        this(token, kid, licenseId, clientId, entitlements, issuedAt, expiresAt, null);
    }

    public VerifiedToken(String token, String kid, String licenseId, String clientId, List<String> entitlements,
                         Instant issuedAt, Instant expiresAt, String certificateThumbprint) {
        this.token = Objects.requireNonNull(token, "token");
        this.kid = kid;
        this.licenseId = licenseId;
        this.clientId = clientId;
        this.entitlements = Collections.unmodifiableList(new ArrayList<>(entitlements));
        this.issuedAt = issuedAt;
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        this.certificateThumbprint = certificateThumbprint;
    }

    /** The compact JWT, for an application that passes it on to its own services. */
    public String token() {
        return token;
    }

    public String kid() {
        return kid;
    }

    public String licenseId() {
        return licenseId;
    }

    public String clientId() {
        return clientId;
    }

    public List<String> entitlements() {
        return entitlements;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * The {@code x5t#S256} of the client certificate the token is bound to (RFC 8705); {@code null} for a token
     * bound to the installation's key ({@code cnf.jkt}).
     */
    public String certificateThumbprint() {
        return certificateThumbprint;
    }
}
