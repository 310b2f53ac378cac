package io.tlswatch.collector.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.serde.Json;

import java.io.IOException;

/** Reads a request body as one JSON document with the project's strict reader (duplicate keys refused, bounds). */
final class BodyParser {

    private BodyParser() {
    }

    /** The document, or throws {@link Malformed} with a message saying where it broke. */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw new Malformed("the body is empty; it must be JSON");
        }
        try {
            JsonNode node = Json.reader().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw new Malformed("the body is empty; it must be JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new Malformed("the body is not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Malformed("the body cannot be read as JSON: " + e.getMessage());
        }
    }

    static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }
}
