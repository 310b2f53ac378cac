package io.tlswatch.client.http;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** A response as the SDK needs it: status, the headers it reads, and the body. */
public final class HttpResponse {

    private final int status;
    private final byte[] body;
    private final String retryAfter;
    private final String dpopNonce;

    public HttpResponse(int status, byte[] body, String retryAfter, String dpopNonce) {
        this.status = status;
        this.body = body.clone();
        this.retryAfter = retryAfter;
        this.dpopNonce = dpopNonce;
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
}
