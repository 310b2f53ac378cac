package io.tlswatch.validator.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.SdkInfo;
import io.tlswatch.contract.serde.Json;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a validation request body, refusing anything malformed with an error that names the field.
 * Parsing goes through the bounded JSON reader (nesting depth, string and document length are capped).
 */
public final class ValidateRequestReader {

    /** Client ids are chosen by the SDK: printable, no spaces, bounded, so they are safe in logs and keys. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");
    private static final int MAX_KEY_LENGTH = 256;
    private static final int MAX_TEXT = 128;
    private static final int MAX_ENTITLEMENTS = 64;

    /** The result: exactly one of {@code request} and {@code error} is set. */
    public record Result(ValidateRequest request, RequestError error) {
        static Result ok(ValidateRequest request) {
            return new Result(request, null);
        }

        static Result failed(RequestError error) {
            return new Result(null, error);
        }
    }

    public Result read(byte[] body) {
        JsonNode root;
        try {
            root = Json.reader().readTree(body);
        } catch (JacksonException e) {
            return Result.failed(RequestError.malformed("the body is not valid JSON: " + e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            return Result.failed(RequestError.malformed("the body cannot be read: " + e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            return Result.failed(RequestError.malformed("the body must be a JSON object"));
        }
        JsonNode key = root.get("licenseKey");
        if (key == null || key.isNull()) {
            return Result.failed(RequestError.invalid("/licenseKey", "licenseKey is required"));
        }
        if (!key.isTextual() || key.asText().isBlank() || key.asText().length() > MAX_KEY_LENGTH) {
            return Result.failed(RequestError.invalid("/licenseKey",
                    "licenseKey must be a non-empty string of at most " + MAX_KEY_LENGTH + " characters"));
        }
        JsonNode clientId = root.get("clientId");
        if (clientId == null || clientId.isNull()) {
            return Result.failed(RequestError.invalid("/clientId", "clientId is required"));
        }
        if (!clientId.isTextual() || !CLIENT_ID.matcher(clientId.asText()).matches()) {
            return Result.failed(RequestError.invalid("/clientId",
                    "clientId must be 1 to 128 characters of letters, digits, '.', '_', ':' or '-'"));
        }
        Entitlements entitlements = entitlements(root.get("entitlements"));
        if (entitlements.error() != null) {
            return Result.failed(entitlements.error());
        }
        JsonNode sdk = root.get("sdk");
        if (sdk == null || sdk.isNull()) {
            return Result.ok(new ValidateRequest(key.asText(), clientId.asText(), null, entitlements.values()));
        }
        if (!sdk.isObject()) {
            return Result.failed(RequestError.invalid("/sdk", "sdk must be an object"));
        }
        Text name = text(sdk, "/sdk/name", "name");
        Text version = text(sdk, "/sdk/version", "version");
        Text os = text(sdk, "/sdk/os", "os");
        JsonNode runtime = sdk.get("runtime");
        RuntimeInfo runtimeInfo = null;
        for (Text t : new Text[]{name, version, os}) {
            if (t.error() != null) {
                return Result.failed(t.error());
            }
        }
        if (runtime != null && !runtime.isNull()) {
            if (!runtime.isObject()) {
                return Result.failed(RequestError.invalid("/sdk/runtime", "sdk.runtime must be an object"));
            }
            Text rName = text(runtime, "/sdk/runtime/name", "name");
            Text rVersion = text(runtime, "/sdk/runtime/version", "version");
            Text rVendor = text(runtime, "/sdk/runtime/vendor", "vendor");
            for (Text t : new Text[]{rName, rVersion, rVendor}) {
                if (t.error() != null) {
                    return Result.failed(t.error());
                }
            }
            if (rName.value() != null) {
                runtimeInfo = new RuntimeInfo(rName.value(), rVersion.value(), rVendor.value());
            }
        }
        SdkInfo info = name.value() == null ? null : new SdkInfo(name.value(), version.value(), runtimeInfo, os.value());
        return Result.ok(new ValidateRequest(key.asText(), clientId.asText(), info, entitlements.values()));
    }

    private record Entitlements(List<String> values, RequestError error) {
    }

    /**
     * The optional {@code entitlements} the check asks for: absent and null read as null (all of the license's);
     * otherwise a non-empty array of distinct short strings, bounded so a request cannot make the check costly.
     */
    private static Entitlements entitlements(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Entitlements(null, null);
        }
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_ENTITLEMENTS) {
            return new Entitlements(null, RequestError.invalid("/entitlements", "entitlements must be an array of 1 to "
                    + MAX_ENTITLEMENTS + " strings; leave it out to ask for all of the license's"));
        }
        Set<String> values = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String pointer = "/entitlements/" + i;
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > MAX_TEXT) {
                return new Entitlements(null, RequestError.invalid(pointer,
                        "entitlements[" + i + "] must be a non-empty string of at most " + MAX_TEXT + " characters"));
            }
            if (!values.add(item.asText())) {
                return new Entitlements(null, RequestError.invalid(pointer,
                        "entitlements[" + i + "] repeats an earlier entitlement"));
            }
        }
        return new Entitlements(List.copyOf(values), null);
    }

    private record Text(String value, RequestError error) {
    }

    /** An optional short string field: absent and null read as null; anything else but text is an error. */
    private static Text text(JsonNode parent, String pointer, String name) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return new Text(null, null);
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > MAX_TEXT) {
            return new Text(null, RequestError.invalid(pointer,
                    pointer.substring(1).replace('/', '.') + " must be a non-empty string of at most " + MAX_TEXT
                            + " characters"));
        }
        return new Text(node.asText(), null);
    }
}
