package io.tlswatch.client.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.client.identity.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code entitlement.json} in the state directory: the last verdict, owner-only. It is tied to the server and
 * the license key it was obtained with (by a SHA-256 of both, so the key itself is not written here): a changed
 * key or server starts from nothing rather than from another license's entitlement.
 */
public final class VerdictStore {

    public static final String FILE_NAME = "entitlement.json";

    private final Path file;
    private final ObjectMapper json;
    private final String binding;

    public VerdictStore(Path stateDirectory, ObjectMapper json, String serverUrl, String licenseKey) {
        this.file = stateDirectory.resolve(FILE_NAME);
        this.json = json;
        this.binding = sha256(serverUrl + "\n" + licenseKey);
    }

    public Path file() {
        return file;
    }

    public synchronized void save(StoredVerdict verdict) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("binding", binding);
        root.put("valid", verdict.valid());
        root.put("code", verdict.code());
        if (verdict.detail() != null) {
            root.put("detail", verdict.detail());
        }
        if (verdict.licenseId() != null) {
            root.put("licenseId", verdict.licenseId());
        }
        root.put("answeredAt", verdict.answeredAt().toString());
        if (verdict.valid()) {
            root.put("token", verdict.token());
            root.put("grace", verdict.grace().toString());
            if (verdict.jwks() != null) {
                root.set("jwks", json.readTree(verdict.jwks()));
            }
            if (verdict.certificateThumbprint() != null) {
                root.put("certificateThumbprint", verdict.certificateThumbprint());
            }
        }
        OwnerOnlyFiles.write(file, json.writeValueAsBytes(root));
    }

    /** The stored verdict; empty when there is none, it belongs to another key or server, or it is unreadable. */
    public synchronized Optional<StoredVerdict> load() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = json.readTree(file.toFile());
            if (root == null || !binding.equals(root.path("binding").asText(null))) {
                return Optional.empty();
            }
            Instant answeredAt = Instant.parse(root.path("answeredAt").asText());
            String licenseId = root.path("licenseId").asText(null);
            String detail = root.path("detail").asText(null);
            if (root.path("valid").asBoolean(false)) {
                JsonNode jwks = root.get("jwks");
                return Optional.of(StoredVerdict.valid(detail, licenseId, answeredAt, root.path("token").asText(),
                        Duration.parse(root.path("grace").asText()), jwks == null ? null : json.writeValueAsString(jwks),
                        root.path("certificateThumbprint").asText(null)));
            }
            return Optional.of(StoredVerdict.invalid(root.path("code").asText("UNKNOWN"), detail, licenseId,
                    answeredAt));
        } catch (IOException | DateTimeParseException | NullPointerException e) {
            return Optional.empty();
        }
    }

    public synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    private static String sha256(String text) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
