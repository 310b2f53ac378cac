package io.tlswatch.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.client.http.HttpResponse;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.client.token.DpopProofs;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request of a license check: the key, this installation and its runtime, with a DPoP proof that carries
 * the server's latest nonce.
 */
final class ValidationRequest {

    private final HttpTransport http;
    private final ObjectMapper json;
    private final DpopProofs proofs;
    private final URI validateUri;
    private final String licenseKey;
    private final String clientId;
    private volatile String dpopNonce;

    ValidationRequest(HttpTransport http, ObjectMapper json, DpopProofs proofs, URI validateUri, String licenseKey,
                      String clientId) {
        this.http = http;
        this.json = json;
        this.proofs = proofs;
        this.validateUri = validateUri;
        this.licenseKey = licenseKey;
        this.clientId = clientId;
    }

    URI uri() {
        return validateUri;
    }

    HttpResponse post() throws IOException {
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
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("DPoP", proofs.proof("POST", validateUri, dpopNonce));
        HttpResponse response = http.post(validateUri, headers, json.writeValueAsBytes(body));
        response.dpopNonce().ifPresent(nonce -> dpopNonce = nonce);
        return response;
    }

    private static String cut(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? "?" : trimmed.length() > 128 ? trimmed.substring(0, 128) : trimmed;
    }
}
