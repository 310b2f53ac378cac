package io.tlswatch.collector.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.ErrorClass;
import io.tlswatch.contract.event.ReportFormat;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.TlsStack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Decodes {@code POST /v1/reports}: one report object, or {@code {"reports": [...]}}. Every report is checked
 * before any is accepted, so a batch is taken whole or refused whole with every item's problems. Fields the
 * collector does not know are ignored (a newer SDK may send more). Thread-safe.
 */
public final class NativeReportDecoder {

    static final int MAX_ID = 128;
    static final int MAX_NAME = 256;
    static final int MAX_URL = 2048;
    static final int MAX_MESSAGE = 8192;
    static final int MAX_SHORT = 512;
    static final int MAX_LIST = 512;

    private final int maxBatchCount;
    private final Plausibility plausibility;
    private final String source;

    public NativeReportDecoder(int maxBatchCount, Plausibility plausibility, String source) {
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
        if (!root.isObject()) {
            return new Decoded.Refused(Refusal.invalid(List.of(new Problem("", "wrong_type",
                    "the body must be a report object or {\"reports\": [...]}"))));
        }
        List<JsonNode> items = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        JsonNode batch = root.get("reports");
        if (batch != null) {
            if (!batch.isArray()) {
                return new Decoded.Refused(Refusal.invalid(List.of(new Problem("/reports", "wrong_type",
                        "reports must be an array of report objects"))));
            }
            if (batch.isEmpty()) {
                return new Decoded.Refused(Refusal.invalid(List.of(new Problem("/reports", "invalid_value",
                        "reports must hold at least one report"))));
            }
            if (batch.size() > maxBatchCount) {
                return new Decoded.Refused(Refusal.of(413, "batch_too_large", "/reports", "a batch holds at most "
                        + maxBatchCount + " reports, this one " + batch.size()));
            }
            for (int i = 0; i < batch.size(); i++) {
                items.add(batch.get(i));
                pointers.add("/reports/" + i);
            }
        } else {
            items.add(root);
            pointers.add("");
        }
        List<Problem> problems = new ArrayList<>();
        List<Candidate> reports = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Candidate candidate = report(items.get(i), pointers.get(i), received, problems);
            if (candidate != null) {
                reports.add(candidate);
            }
        }
        if (!problems.isEmpty()) {
            return new Decoded.Refused(Refusal.invalid(problems));
        }
        return new Decoded.Accepted(reports, items.size(), List.of());
    }

    private Candidate report(JsonNode node, String pointer, Received received, List<Problem> problems) {
        if (!node.isObject()) {
            problems.add(new Problem(pointer, "wrong_type", "a report must be an object"));
            return null;
        }
        int before = problems.size();
        FieldReader f = new FieldReader(node, pointer, problems);
        String reportId = f.requiredText("reportId", MAX_ID);
        String clientId = f.requiredText("clientId", MAX_NAME);
        String licenseId = f.text("licenseId", MAX_NAME);
        Instant occurredAt = f.requiredInstant("occurredAt");
        String endpoint = f.text("endpoint", MAX_URL);
        String errorClass = f.requiredText("errorClass", MAX_ID);
        if (errorClass != null && !ErrorClass.wellFormed(errorClass)) {
            problems.add(new Problem(f.pointer("errorClass"), "invalid_value", "errorClass must be dotted "
                    + "lowercase words, such as " + ErrorClass.VERSION_OR_CIPHER_MISMATCH.wire()));
        }
        String message = f.text("message", MAX_MESSAGE);
        RuntimeInfo runtime = runtime(f.object("runtime"));
        TlsStack tls = tls(f.object("tls"));
        String os = f.text("os", MAX_SHORT);
        String appVersion = f.text("appVersion", MAX_ID);
        Instant clientTime = f.instant("clientTime");
        if (problems.size() > before) {
            return null;
        }
        Set<String> flags = plausibility.flags(occurredAt, received.receivedAt());
        try {
            ClientReportEvent event = ClientReportEvent.builder()
                    .time(flags.isEmpty() ? occurredAt : received.receivedAt())
                    .source(source)
                    .reportId(reportId).clientId(clientId).licenseId(licenseId)
                    .format(ReportFormat.NATIVE)
                    .occurredAt(occurredAt).receivedAt(received.receivedAt())
                    .endpoint(endpoint).error(errorClass, message)
                    .runtime(runtime).tls(tls).os(os).appVersion(appVersion).clientTime(clientTime)
                    .remoteAddress(received.remoteAddress()).arrival(received.arrival())
                    .via(received.via())
                    .signedBy(received.signerJkt())
                    .flags(flags)
                    .build();
            return new Candidate(clientId + '\u0000' + reportId, event);
        } catch (IllegalArgumentException e) {
            // The event's own invariants; the checks above should have caught it, so name the report at least.
            problems.add(new Problem(pointer, "invalid_value", e.getMessage()));
            return null;
        }
    }

    private static RuntimeInfo runtime(FieldReader r) {
        if (r == null) {
            return null;
        }
        int before = r.problems().size();
        String name = r.requiredText("name", MAX_NAME);
        String version = r.text("version", MAX_NAME);
        String vendor = r.text("vendor", MAX_NAME);
        return r.problems().size() > before ? null : new RuntimeInfo(name, version, vendor);
    }

    private static TlsStack tls(FieldReader r) {
        if (r == null) {
            return null;
        }
        int before = r.problems().size();
        String library = r.requiredText("library", MAX_NAME);
        String version = r.text("version", MAX_NAME);
        List<String> protocols = r.texts("enabledProtocols", 16, 32);
        List<String> suites = r.texts("enabledCipherSuites", MAX_LIST, 128);
        return r.problems().size() > before ? null : new TlsStack(library, version, protocols, suites);
    }
}
