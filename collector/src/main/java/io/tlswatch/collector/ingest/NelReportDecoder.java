package io.tlswatch.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.common.event.ClientReportEvent;
import io.tlswatch.common.event.NelDetails;
import io.tlswatch.common.event.ReportFormat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Decodes {@code POST /v1/nel}: a W3C Reporting API batch ({@code application/reports+json}), a JSON array of
 * {@code {age, type, url, user_agent, body}}. Reports of type {@code network-error} become client reports with
 * the NEL body's {@code type} as the error class; reports of other types (CSP, deprecation, ...) and NEL's
 * success samples ({@code body.type} {@code ok}) are accepted and counted, not stored. As with native
 * reports, every item is checked before any is accepted. Thread-safe.
 */
public final class NelReportDecoder {

    public static final String NETWORK_ERROR = "network-error";
    private static final Pattern ERROR_CLASS = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    /** A report's age is measured by the user agent; its retries of one report land in the same bucket. */
    private static final Duration ID_BUCKET = Duration.ofSeconds(10);
    private static final long MAX_AGE_MILLIS = Duration.ofDays(3650).toMillis();

    private final int maxBatchCount;
    private final Plausibility plausibility;
    private final String source;

    public NelReportDecoder(int maxBatchCount, Plausibility plausibility, String source) {
        this.maxBatchCount = maxBatchCount;
        this.plausibility = plausibility;
        this.source = source;
    }

    public Decoded decode(byte[] body, Received received) {
        JsonNode root;
        try {
            root = BodyParser.parse(body);
        } catch (BodyParser.Malformed e) {
            return new Decoded.Refused(Refusal.malformed(e.getMessage()));
        }
        if (!root.isArray()) {
            return new Decoded.Refused(Refusal.invalid(List.of(new Problem("", "wrong_type",
                    "the body must be a JSON array of reports (application/reports+json)"))));
        }
        if (root.isEmpty()) {
            return new Decoded.Refused(Refusal.invalid(List.of(new Problem("", "invalid_value",
                    "the batch must hold at least one report"))));
        }
        if (root.size() > maxBatchCount) {
            return new Decoded.Refused(Refusal.of(413, "batch_too_large", "", "a batch holds at most "
                    + maxBatchCount + " reports, this one " + root.size()));
        }
        List<Problem> problems = new ArrayList<>();
        List<Candidate> reports = new ArrayList<>();
        int ignored = 0;
        for (int i = 0; i < root.size(); i++) {
            Item item = item(root.get(i), "/" + i, received, problems);
            if (item == Item.IGNORED) {
                ignored++;
            } else if (item != null) {
                reports.add(item.candidate);
            }
        }
        if (!problems.isEmpty()) {
            return new Decoded.Refused(Refusal.invalid(problems));
        }
        return new Decoded.Accepted(reports, ignored, root.size());
    }

    private record Item(Candidate candidate) {
        static final Item IGNORED = new Item(null);
    }

    private Item item(JsonNode node, String pointer, Received received, List<Problem> problems) {
        if (!node.isObject()) {
            problems.add(new Problem(pointer, "wrong_type", "a report must be an object"));
            return null;
        }
        int before = problems.size();
        FieldReader f = new FieldReader(node, pointer, problems);
        String type = f.requiredText("type", NativeReportDecoder.MAX_ID);
        Long age = f.integer("age", 0, MAX_AGE_MILLIS);
        if (age == null && !f.has("age")) {
            problems.add(new Problem(f.pointer("age"), "missing", "age is required"));
        }
        String url = f.requiredText("url", NativeReportDecoder.MAX_URL);
        String userAgent = f.text("user_agent", NativeReportDecoder.MAX_SHORT);
        FieldReader b = f.object("body");
        if (b == null && !f.has("body")) {
            problems.add(new Problem(f.pointer("body"), "missing", "body is required"));
        }
        if (!NETWORK_ERROR.equals(type)) {
            return problems.size() > before ? null : Item.IGNORED;
        }
        if (b == null) {
            return null;
        }
        String phase = b.requiredText("phase", 32);
        String errorType = b.requiredText("type", NativeReportDecoder.MAX_ID);
        if (errorType != null && !ERROR_CLASS.matcher(errorType).matches()) {
            problems.add(new Problem(b.pointer("type"), "invalid_value",
                    "type must be a NEL error type, such as tls.cert.authority_invalid"));
        }
        String serverIp = b.text("server_ip", 64);
        String protocol = b.text("protocol", 32);
        Long statusCode = b.integer("status_code", 0, 999);
        Long elapsed = b.integer("elapsed_time", 0, MAX_AGE_MILLIS);
        if (problems.size() > before) {
            return null;
        }
        if ("ok".equals(errorType)) {
            return Item.IGNORED;
        }
        Instant occurredAt = received.receivedAt().minusMillis(age);
        Set<String> flags = plausibility.flags(occurredAt, received.receivedAt());
        String reportId = reportId(received.remoteAddress(), url, errorType, phase, serverIp, userAgent, occurredAt);
        try {
            ClientReportEvent event = ClientReportEvent.builder()
                    .time(flags.isEmpty() ? occurredAt : received.receivedAt())
                    .source(source)
                    .reportId(reportId)
                    .format(ReportFormat.NEL)
                    .occurredAt(occurredAt).receivedAt(received.receivedAt())
                    .endpoint(url).error(errorType, null)
                    .remoteAddress(received.remoteAddress()).arrival(received.arrival())
                    .via(received.via())
                    .signedBy(received.signerJkt())
                    .flags(flags)
                    .nel(new NelDetails(phase, serverIp, protocol, statusCode == null ? 0 : statusCode.intValue(),
                            elapsed, userAgent))
                    .build();
            return new Item(new Candidate(reportId, event));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(pointer, "invalid_value", e.getMessage()));
            return null;
        }
    }

    /**
     * NEL reports carry no id: derive one from what identifies the failure, so that a user agent's retry of the
     * same report (same content, age grown by the delay) is recognised as a duplicate.
     */
    static String reportId(String remoteAddress, String url, String type, String phase, String serverIp,
                           String userAgent, Instant occurredAt) {
        long bucket = occurredAt.truncatedTo(ChronoUnit.SECONDS).getEpochSecond() / ID_BUCKET.toSeconds();
        String identity = String.join("\n", remoteAddress, url, type, phase, String.valueOf(serverIp),
                String.valueOf(userAgent), Long.toString(bucket));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return "nel-" + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
