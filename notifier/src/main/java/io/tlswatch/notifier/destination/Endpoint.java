package io.tlswatch.notifier.destination;

import io.tlswatch.notifier.config.TargetKind;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Objects;

/**
 * What every destination is configured with: its name (in metrics, logs and dead letters), which API it speaks,
 * where that API is, and how long one request may take.
 *
 * @param name    the name given in {@code targets}
 * @param kind    the API it speaks
 * @param url     the API's URL or base URL; {@code null} for Slack, whose URL is its secret
 * @param timeout how long one request may take
 */
public record Endpoint(String name, TargetKind kind, URI url, Duration timeout) {

    public Endpoint {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** {@code path} below the configured base URL, whether or not that ends in a slash. */
    URI resolve(String path) {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    /** A JSON POST of {@code body} to {@code uri} within this endpoint's timeout. */
    HttpRequest.Builder post(URI uri, byte[] body) {
        return Requests.jsonPost(uri, timeout, body);
    }

    /** A JSON POST of {@code body} to the configured URL. */
    HttpRequest.Builder post(byte[] body) {
        return post(url, body);
    }
}
