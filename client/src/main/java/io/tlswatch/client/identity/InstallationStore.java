package io.tlswatch.client.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.UUID;

/**
 * Keeps the installation's identity in {@code installation.json} of the state directory: created on first use,
 * owner-only, read back on every start so the client id and key survive restarts (the validator counts machines
 * by client id, and a new key would orphan the cached token).
 */
public final class InstallationStore {

    public static final String FILE_NAME = "installation.json";

    private final Path file;
    private final ObjectMapper json;

    public InstallationStore(Path stateDirectory, ObjectMapper json) {
        this.file = stateDirectory.resolve(FILE_NAME);
        this.json = json;
    }

    public Path file() {
        return file;
    }

    /**
     * The installation in the file, or a new one written to it. A file that cannot be read as an installation is
     * an error rather than silently replaced: replacing it would make this installation a new machine.
     */
    public synchronized Installation loadOrCreate() throws IOException {
        if (Files.exists(file)) {
            return load();
        }
        Installation created = new Installation("inst-" + UUID.randomUUID(), generateKey());
        ObjectNode root = json.createObjectNode();
        root.put("clientId", created.clientId());
        root.set("key", json.readTree(created.key().toJSONString()));
        OwnerOnlyFiles.write(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return created;
    }

    private Installation load() throws IOException {
        OwnerOnlyFiles.restrict(file);
        JsonNode root = json.readTree(file.toFile());
        JsonNode clientId = root == null ? null : root.get("clientId");
        JsonNode key = root == null ? null : root.get("key");
        if (clientId == null || !clientId.isTextual() || key == null || !key.isObject()) {
            throw new IOException(file + " is not an installation file (clientId and key expected); "
                    + "move it away to create a new installation");
        }
        try {
            return new Installation(clientId.asText(), ECKey.parse(json.writeValueAsString(key)));
        } catch (ParseException | IllegalArgumentException e) {
            throw new IOException(file + " holds no usable EC P-256 private key: " + e.getMessage(), e);
        }
    }

    private static ECKey generateKey() throws IOException {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IOException("cannot generate an EC P-256 key", e);
        }
    }
}
