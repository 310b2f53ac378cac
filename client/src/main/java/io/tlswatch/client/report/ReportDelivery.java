package io.tlswatch.client.report;

import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.http.HttpTransport;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends one signed request body to the collector: over HTTPS first, then over its plain HTTP listener (the
 * channel for clients whose TLS cannot reach even the collector's broad TLS listener; the reports carry no
 * secrets). A 2xx is delivery; a 4xx other than 408 and 429 is a refusal that no retry would change; anything
 * else (no connection, a TLS failure, 408, 429, 5xx) moves on to the next channel.
 */
public final class ReportDelivery {

    /** How a send ended. */
    public enum Channel { HTTPS, HTTP }

    private final HttpTransport transport;
    private final List<URI> endpoints;
    private final ReportSigner signer;

    /**
     * @param https the collector's HTTPS base URL, or {@code null}
     * @param http  its plain HTTP base URL, or {@code null}
     */
    public ReportDelivery(HttpTransport transport, URI https, URI http, ReportSigner signer) {
        this.transport = transport;
        this.signer = signer;
        List<URI> list = new ArrayList<>();
        if (https != null) {
            list.add(reports(https));
        }
        if (http != null) {
            list.add(reports(http));
        }
        this.endpoints = Collections.unmodifiableList(list);
    }

    private static URI reports(URI base) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/v1/reports");
    }

    public boolean configured() {
        return !endpoints.isEmpty();
    }

    public Result send(byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put(ReportSigner.HEADER, signer.sign(body));
        Duration retryAfter = null;
        String lastProblem = "no collector configured";
        for (URI endpoint : endpoints) {
            Channel channel = "https".equalsIgnoreCase(endpoint.getScheme()) ? Channel.HTTPS : Channel.HTTP;
            try {
                HttpResponse response = transport.post(endpoint, headers, body);
                int status = response.status();
                if (status >= 200 && status < 300) {
                    return Result.delivered(channel);
                }
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    return Result.rejected(status, response.bodyText());
                }
                retryAfter = longer(retryAfter, response.retryAfter().map(ReportDelivery::seconds).orElse(null));
                lastProblem = endpoint + " answered " + status;
            } catch (IOException | RuntimeException e) {
                lastProblem = endpoint + ": " + e;
            }
        }
        return Result.failed(lastProblem, retryAfter);
    }

    private static Duration seconds(String value) {
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, 3600)) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP-date: the backoff decides
        }
    }

    private static Duration longer(Duration a, Duration b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    /** The outcome of one send. */
    public static final class Result {
        private final Channel channel;
        private final int rejectedStatus;
        private final String problem;
        private final Duration retryAfter;

        private Result(Channel channel, int rejectedStatus, String problem, Duration retryAfter) {
            this.channel = channel;
            this.rejectedStatus = rejectedStatus;
            this.problem = problem;
            this.retryAfter = retryAfter;
        }

        static Result delivered(Channel channel) {
            return new Result(channel, 0, null, null);
        }

        static Result rejected(int status, String body) {
            return new Result(null, status, "refused with " + status + ": "
                    + (body.length() > 300 ? body.substring(0, 300) : body), null);
        }

        static Result failed(String problem, Duration retryAfter) {
            return new Result(null, 0, problem, retryAfter);
        }

        public boolean delivered() {
            return channel != null;
        }

        public Channel channel() {
            return channel;
        }

        public boolean rejected() {
            return rejectedStatus != 0;
        }

        public String problem() {
            return problem;
        }

        /** The longest Retry-After a collector asked for, if any. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }
}
