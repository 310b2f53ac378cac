package io.tlswatch.client.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A response as the SDK needs it: status, the headers it reads, the body, and what the connection it came over
 * showed of this client (the certificate it presented).
 */
public final class HttpResponse {

    private final int status;
    private final byte[] body;
    private final String retryAfter;
    private final String dpopNonce;
    private final String date;
    private final String clientCertificateThumbprint;

    public HttpResponse(int status, byte[] body, String retryAfter, String dpopNonce) {
        this(status, body, retryAfter, dpopNonce, null, null);
    }

    /**
     * @param date                        the {@code Date} header, or {@code null}
     * @param clientCertificateThumbprint the {@code x5t#S256} of the client certificate this client presented on
     *                                    the connection, or {@code null} when it presented none
     */
    public HttpResponse(int status, byte[] body, String retryAfter, String dpopNonce, String date,
                        String clientCertificateThumbprint) {
        this.status = status;
        this.body = body.clone();
        this.retryAfter = retryAfter;
        this.dpopNonce = dpopNonce;
        this.date = date;
        this.clientCertificateThumbprint = clientCertificateThumbprint;
    }

    public int status() {
        return status;
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public Optional<String> dpopNonce() {
        return Optional.ofNullable(dpopNonce);
    }

    /** The server's clock when it answered, from its {@code Date} header (RFC 9110 §6.6.1), if it sent one. */
    public Optional<Instant> serverDate() {
        if (date == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date.trim())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The {@code x5t#S256} (RFC 8705) of the client certificate presented on this response's connection. */
    public Optional<String> clientCertificateThumbprint() {
        return Optional.ofNullable(clientCertificateThumbprint);
    }
}
