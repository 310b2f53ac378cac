package io.tlswatch.collector;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Report bodies as a client SDK writes them. */
public final class ReportJson {

    private ReportJson() {
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A complete report from a Java 7 client that failed to reach the license server. */
    public static String report(String reportId, String clientId, Instant occurredAt) {
        return """
                {"reportId": "%s", "clientId": "%s", "licenseId": "lic-0042", "occurredAt": "%s",
                 "endpoint": "https://licenses.example.com/v1/licenses/validate",
                 "errorClass": "tls.version_or_cipher_mismatch",
                 "message": "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version",
                 "runtime": {"name": "Java(TM) SE Runtime Environment", "version": "1.7.0_80-b15", "vendor": "Oracle Corporation"},
                 "tls": {"library": "SunJSSE", "version": "1.7", "enabledProtocols": ["TLSv1"],
                         "enabledCipherSuites": ["TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"]},
                 "os": "Windows Server 2008 R2 6.1 amd64", "appVersion": "4.12.3", "clientTime": "%s"}"""
                .formatted(reportId, clientId, occurredAt, occurredAt);
    }

    public static String report(String reportId, String clientId) {
        return report(reportId, clientId, Instant.now().minusSeconds(5));
    }

    public static String batch(List<String> reports) {
        return reports.stream().collect(Collectors.joining(",", "{\"reports\": [", "]}"));
    }

    /** A W3C Reporting API NEL report of a browser that did not trust the certificate. */
    public static String nel(long ageMillis, String url) {
        return """
                {"age": %d, "type": "network-error", "url": "%s",
                 "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/122.0.0.0",
                 "body": {"elapsed_time": 143, "method": "GET", "phase": "connection", "protocol": "http/1.1",
                          "referrer": "", "sampling_fraction": 1.0, "server_ip": "203.0.113.10", "status_code": 0,
                          "type": "tls.cert.authority_invalid"}}""".formatted(ageMillis, url);
    }
}
