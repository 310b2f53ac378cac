package io.tlswatch.client.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.client.http.ClientTls;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * One report in the collector's native format ({@code POST /v1/reports}, docs/client.md lists the fields). The
 * {@code reportId} is fixed when the report is made, so a report sent twice (a retry after a lost answer, a spool
 * flush) is one report to the collector. {@code clientTime} is not part of it: it is stamped at each send.
 */
public final class FailureReport {

    private final ObjectNode json;

    private FailureReport(ObjectNode json) {
        this.json = json;
    }

    /** A report of {@code classification}, made now by {@code clientTime}'s clock. */
    public static FailureReport of(ObjectMapper mapper, String clientId, String licenseId, Instant occurredAt,
                                   String endpoint, Classification classification, ClientTls tls, String appVersion) {
        ObjectNode report = mapper.createObjectNode();
        report.put("reportId", UUID.randomUUID().toString());
        report.put("clientId", clientId);
        if (licenseId != null) {
            report.put("licenseId", licenseId);
        }
        report.put("occurredAt", occurredAt.truncatedTo(ChronoUnit.MILLIS).toString());
        report.put("endpoint", endpoint);
        report.put("errorClass", classification.errorClass());
        report.put("message", classification.message());
        ObjectNode runtime = report.putObject("runtime");
        runtime.put("name", property("java.runtime.name", "Java"));
        putIfPresent(runtime, "version", System.getProperty("java.runtime.version", System.getProperty("java.version")));
        putIfPresent(runtime, "vendor", System.getProperty("java.vendor"));
        ObjectNode stack = report.putObject("tls");
        stack.put("library", tls.providerName());
        putIfPresent(stack, "version", tls.providerVersion());
        array(stack.putArray("enabledProtocols"), tls.protocols());
        array(stack.putArray("enabledCipherSuites"), tls.cipherSuites());
        report.put("os", property("os.name", "unknown") + " " + property("os.version", "") + " ("
                + property("os.arch", "") + ")");
        if (appVersion != null) {
            report.put("appVersion", appVersion);
        }
        return new FailureReport(report);
    }

    /** A report read back from the spool. */
    public static FailureReport fromJson(ObjectNode json) {
        if (!json.path("reportId").isTextual()) {
            throw new IllegalArgumentException("a report needs a reportId");
        }
        return new FailureReport(json.deepCopy());
    }

    public String reportId() {
        return json.get("reportId").asText();
    }

    public String errorClass() {
        return json.path("errorClass").asText();
    }

    /** The report as stored: without {@code clientTime}. */
    public ObjectNode stored() {
        return json.deepCopy();
    }

    /** The report as sent at {@code now}: with {@code clientTime}. */
    public ObjectNode sent(Instant now) {
        ObjectNode copy = json.deepCopy();
        copy.put("clientTime", now.truncatedTo(ChronoUnit.MILLIS).toString());
        return copy;
    }

    private static String property(String name, String fallback) {
        String value = System.getProperty(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static void array(ArrayNode node, List<String> values) {
        values.forEach(node::add);
    }
}
