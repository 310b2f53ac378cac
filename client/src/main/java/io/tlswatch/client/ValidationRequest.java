package io.tlswatch.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.client.token.DpopProofs;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests of this installation to the validator (validate, and the machine calls): the key, this
 * installation and its runtime, with a DPoP proof for the endpoint called that carries the server's latest nonce.
 */
final class ValidationRequest {

    /** The validator's endpoints the SDK calls; all take the same body and the same proof. */
    enum Call {
        VALIDATE("/v1/licenses/validate"),
        ACTIVATE("/v1/machines/activate"),
        HEARTBEAT("/v1/machines/heartbeat"),
        DEACTIVATE("/v1/machines/deactivate");

        private final String path;

        Call(String path) {
            this.path = path;
        }

        String path() {
            return path;
        }

        /** Only checks that may issue a token ask for entitlements: they are what the token would carry. */
        boolean asksForEntitlements() {
            return this == VALIDATE || this == ACTIVATE;
        }
    }

    private final HttpTransport http;
    private final ObjectMapper json;
    private final DpopProofs proofs;
    private final Map<Call, URI> uris = new EnumMap<>(Call.class);
    private final String licenseKey;
    private final String clientId;
    private final List<String> entitlements;
    private volatile String dpopNonce;

    /**
     * @param base         the server URL without a trailing slash: each endpoint's URI (the proof's {@code htu})
     *                     is this plus its path
     * @param entitlements what the application asks the license for (empty: nothing in particular)
     */
    ValidationRequest(HttpTransport http, ObjectMapper json, DpopProofs proofs, String base, String licenseKey,
                      String clientId, List<String> entitlements) {
        this.http = http;
        this.json = json;
        this.proofs = proofs;
        for (Call call : Call.values()) {
            uris.put(call, URI.create(base + call.path()));
        }
        this.licenseKey = licenseKey;
        this.clientId = clientId;
        this.entitlements = Collections.unmodifiableList(new ArrayList<>(entitlements));
    }

    URI uri(Call call) {
        return uris.get(call);
    }

    HttpResponse post(Call call) throws IOException {
        return post(call, null);
    }

    /** @param machineName the name an activation gives this machine, or {@code null} */
    HttpResponse post(Call call, String machineName) throws IOException {
        URI uri = uri(call);
        ObjectNode body = json.createObjectNode();
        body.put("licenseKey", licenseKey);
        body.put("clientId", clientId);
        ObjectNode sdk = body.putObject("sdk");
        sdk.put("name", LicenseClient.SDK_NAME);
        sdk.put("version", LicenseClient.sdkVersion());
        sdk.put("os", cut(System.getProperty("os.name", "unknown") + " " + System.getProperty("os.version", "")));
        ObjectNode runtime = sdk.putObject("runtime");
        runtime.put("name", cut(System.getProperty("java.runtime.name", "Java")));
        runtime.put("version", cut(System.getProperty("java.runtime.version", System.getProperty("java.version", "?"))));
        runtime.put("vendor", cut(System.getProperty("java.vendor", "?")));
        if (call.asksForEntitlements() && !entitlements.isEmpty()) {
            ArrayNode asked = body.putArray("entitlements");
            entitlements.forEach(asked::add);
        }
        if (call == Call.ACTIVATE && machineName != null) {
            body.put("name", machineName);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("DPoP", proofs.proof("POST", uri, dpopNonce));
        HttpResponse response = http.post(uri, headers, json.writeValueAsBytes(body));
        response.dpopNonce().ifPresent(nonce -> dpopNonce = nonce);
        return response;
    }

    private static String cut(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? "?" : trimmed.length() > 128 ? trimmed.substring(0, 128) : trimmed;
    }
}
