package io.tlswatch.launcher.outage;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.streams.PostureJob;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A posture job's rows as served on its admin port, in the terms of {@link GroundTruth#postureRows}. */
final class PostureRows {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PostureRows.class);

    private final HttpClient http;

    PostureRows(HttpClient http) {
        this.http = http;
    }

    /** Each client's row as {@code failures=<n> reports=<n>}; none while the job does not answer 200. */
    Map<String, String> of(PostureJob job) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + job.port() + "/v1/clients?limit=1000")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> rows = new HashMap<>();
        if (response.statusCode() != 200) {
            LOG.info("Posture job on port {} answered {}: {}", job.port(), response.statusCode(), response.body());
            return rows;
        }
        for (JsonNode row : Json.reader().readTree(response.body()).path("clients")) {
            rows.put(row.path("clientId").asText(), "failures=" + sum(row.path("failuresByReason"))
                    + " reports=" + sum(row.path("reportsByErrorClass")));
        }
        return rows;
    }

    private static long sum(JsonNode counts) {
        long sum = 0;
        for (JsonNode count : counts) {
            sum += count.asLong();
        }
        return sum;
    }
}
