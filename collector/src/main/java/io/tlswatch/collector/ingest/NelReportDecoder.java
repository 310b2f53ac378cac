package io.tlswatch.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.ErrorClass;
import io.tlswatch.contract.event.NelDetails;
import io.tlswatch.contract.event.ReportFormat;

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

/**
 * Decodes {@code POST /v1/nel}: a W3C Reporting API batch ({@code application/reports+json}), a JSON array of
 * {@code {age, type, url, user_agent, body}}, as Chrome and Firefox send it. Each item is taken on its own:
 * a report of type {@code network-error} becomes a client report with the NEL body's {@code type} as the error
 * class; other report types and NEL's success samples are ignored; an item that cannot be read as a report is
 * skipped with the reason. A browser never reads the answer and never fixes its batch, so refusing a whole batch
 * for one odd item would lose every report in it. Diagnostic fields are taken when usable and left out when not:
 * browsers send {@code server_ip} and {@code protocol} empty for a connection that failed before they were
 * known, Firefox sends no {@code age} and, in the connection phase, no {@code status_code}. Thread-safe.
 */
public final class NelReportDecoder {

    public static final String NETWORK_ERROR = "network-error";
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
        if (root.size() > maxBatchCount) {
            return new Decoded.Refused(Refusal.of(413, "batch_too_large", "", "a batch holds at most "
                    + maxBatchCount + " reports, this one " + root.size()));
        }
        List<Candidate> reports = new ArrayList<>();
        List<Skip> skips = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            Item item = item(root.get(i), "/" + i, received);
            if (item.candidate() != null) {
                reports.add(item.candidate());
            } else {
                skips.add(item.skip());
            }
        }
        return new Decoded.Accepted(reports, root.size(), skips);
    }

    /** Exactly one of the two. */
    private record Item(Candidate candidate, Skip skip) {
        static Item skipped(Skip skip) {
            return new Item(null, skip);
        }
    }

    private Item item(JsonNode node, String pointer, Received received) {
        if (!node.isObject()) {
            return Item.skipped(new Skip(SkipReason.NOT_AN_OBJECT,
                    List.of(new Problem(pointer, "wrong_type", "a report must be an object"))));
        }
        List<Problem> problems = new ArrayList<>();
        FieldReader f = new FieldReader(node, pointer, problems);
        String type = f.requiredText("type", NativeReportDecoder.MAX_ID);
        if (!problems.isEmpty()) {
            return Item.skipped(Skip.unreadable(problems));
        }
        if (!NETWORK_ERROR.equals(type)) {
            return Item.skipped(Skip.ignored(SkipReason.OTHER_TYPE));
        }
        String url = f.requiredText("url", NativeReportDecoder.MAX_URL);
        // Firefox sends no age: it posts each report as it happens, so receipt is when it happened.
        Long age = f.integer("age", 0, MAX_AGE_MILLIS);
        FieldReader b = f.object("body");
        if (b == null && !f.has("body")) {
            problems.add(new Problem(f.pointer("body"), "missing", "body is required"));
        }
        String errorType = b == null ? null : b.requiredText("type", NativeReportDecoder.MAX_ID);
        if (errorType != null && !ErrorClass.wellFormed(errorType)) {
            problems.add(new Problem(b.pointer("type"), "invalid_value",
                    "type must be a NEL error type, such as " + ErrorClass.CERT_AUTHORITY_INVALID.wire()));
        }
        String phase = b == null ? null : b.requiredText("phase", 32);
        if (!problems.isEmpty()) {
            return Item.skipped(Skip.unreadable(problems));
        }
        if ("ok".equals(errorType)) {
            return Item.skipped(Skip.ignored(SkipReason.SUCCESS_SAMPLE));
        }
        String userAgent = f.lenientText("user_agent", NativeReportDecoder.MAX_SHORT);
        String serverIp = b.lenientText("server_ip", 64);
        String protocol = b.lenientText("protocol", 32);
        Long statusCode = b.lenientInteger("status_code", 0, 999);
        Long elapsed = b.lenientInteger("elapsed_time", 0, MAX_AGE_MILLIS);
        Instant occurredAt = age == null ? received.receivedAt() : received.receivedAt().minusMillis(age);
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
            return new Item(new Candidate(reportId, event), null);
        } catch (IllegalArgumentException e) {
            return Item.skipped(Skip.unreadable(List.of(new Problem(pointer, "invalid_value", e.getMessage()))));
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
