package io.tlswatch.notifier.fake;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.notifier.fake.FakeApi.Answer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/** The documented behaviour of each third-party API the notifier talks to, as far as the notifier uses it. */
public final class Apis {

    private Apis() {
    }

    /**
     * PagerDuty Events API v2, {@code POST /v2/enqueue}: 202 {@code {"status":"success","message":"Event
     * processed","dedup_key":...}}; an invalid event 400 {@code {"status":"invalid event",...,"errors":[...]}}.
     */
    public static FakeApi.Api pagerDuty(String routingKey) {
        return request -> {
            if (!request.method().equals("POST") || !request.path().equals("/v2/enqueue")) {
                return Answer.json(404, "{\"status\":\"not found\"}");
            }
            JsonNode event = request.json();
            String problem = null;
            String action = event.path("event_action").asText();
            if (!routingKey.equals(event.path("routing_key").asText())) {
                problem = "Invalid routing key";
            } else if (!Set.of("trigger", "acknowledge", "resolve").contains(action)) {
                problem = "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')";
            } else if (!action.equals("trigger") && event.path("dedup_key").asText().isEmpty()) {
                problem = "'dedup_key' is missing or blank";
            } else if (action.equals("trigger")) {
                JsonNode payload = event.path("payload");
                if (payload.path("summary").asText().isEmpty() || payload.path("summary").asText().length() > 1024) {
                    problem = "'payload.summary' is missing or blank";
                } else if (payload.path("source").asText().isEmpty()) {
                    problem = "'payload.source' is missing or blank";
                } else if (!Set.of("critical", "error", "warning", "info").contains(payload.path("severity").asText())) {
                    problem = "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')";
                }
            }
            if (problem != null) {
                return Answer.json(400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                        + "\"errors\":[\"" + problem.replace("\"", "'") + "\"]}");
            }
            String dedupKey = event.path("dedup_key").asText(UUID.randomUUID().toString().replace("-", ""));
            return Answer.json(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\""
                    + dedupKey + "\"}");
        };
    }

    /**
     * Opsgenie Alert API: {@code POST /v2/alerts} creates, {@code POST /v2/alerts/{alias}/close?identifierType=alias}
     * closes; both answer 202 {@code {"result":"Request will be processed","took":...,"requestId":...}}. A wrong
     * key is 401, an unprocessable body 422.
     */
    public static FakeApi.Api opsgenie(String apiKey) {
        return request -> {
            String requestId = UUID.randomUUID().toString();
            if (!("GenieKey " + apiKey).equals(request.header("Authorization"))) {
                return Answer.json(401, "{\"message\":\"Could not authenticate\",\"took\":0.0,\"requestId\":\""
                        + requestId + "\"}");
            }
            boolean create = request.path().equals("/v2/alerts");
            boolean close = request.path().matches("/v2/alerts/[^/]+/close") && "identifierType=alias".equals(request.query());
            if (!request.method().equals("POST") || !(create || close)) {
                return Answer.json(404, "{\"message\":\"Not found\",\"took\":0.0,\"requestId\":\"" + requestId + "\"}");
            }
            if (create) {
                JsonNode body = request.json();
                String message = body.path("message").asText();
                if (message.isEmpty() || message.length() > 130 || body.path("alias").asText().length() > 512) {
                    return Answer.json(422, "{\"message\":\"Request body is not processable. Please check the errors.\","
                            + "\"errors\":{\"message\":\"Message can not be empty.\"},\"took\":0.0,\"requestId\":\""
                            + requestId + "\"}");
                }
            }
            return Answer.json(202, "{\"result\":\"Request will be processed\",\"took\":0.002,\"requestId\":\""
                    + requestId + "\"}");
        };
    }

    /** A Slack incoming webhook: 200 {@code ok}; a body without text or blocks 400 {@code invalid_payload}. */
    public static FakeApi.Api slack(String hookPath) {
        return request -> {
            if (!request.path().equals(hookPath)) {
                return Answer.text(404, "no_service");
            }
            JsonNode body;
            try {
                body = request.json();
            } catch (RuntimeException e) {
                return Answer.text(400, "invalid_payload");
            }
            if (body.path("text").asText().isEmpty() && !body.path("blocks").isArray()) {
                return Answer.text(400, "invalid_payload");
            }
            return Answer.text(200, "ok");
        };
    }

    /**
     * A receiver of the generic webhook that checks the signature as docs/alerting.md tells it to: HMAC-SHA256
     * over {@code timestamp + "." + body}, and the timestamp within five minutes; 401 otherwise.
     */
    public static FakeApi.Api signedWebhook(String hmacKey) {
        return request -> {
            String timestamp = request.header("X-Tlswatch-Timestamp");
            String signature = request.header("X-Tlswatch-Signature");
            if (timestamp == null || signature == null) {
                return Answer.json(401, "{\"error\":\"unsigned\"}");
            }
            long age = Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp));
            String expected = "sha256=" + hmac(hmacKey, timestamp + "." + request.body());
            if (age > 300 || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.getBytes(StandardCharsets.US_ASCII))) {
                return Answer.json(401, "{\"error\":\"bad signature\"}");
            }
            return Answer.json(204, "");
        };
    }

    public static String hmac(String key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
