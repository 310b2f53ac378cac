package io.tlswatch.launcher.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.contract.serde.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code fleet.json}: every installation of a fleet with its client id, stacks, license and address (docs/demo.md). */
public final class FleetManifest {

    private FleetManifest() {
    }

    public static void write(List<FleetMember> members, Path file) {
        ArrayNode clients = Json.mapper().createArrayNode();
        for (FleetMember member : members) {
            ObjectNode c = clients.addObject();
            c.put("name", member.plan().name());
            c.put("clientId", member.clientId());
            c.put("initialStack", member.plan().initial().name());
            member.plan().change().ifPresent(change -> {
                c.put("changeAfter", change.after().toString());
                c.put("changeTo", change.to().name());
            });
            c.put("finalStack", member.plan().finalStack().name());
            c.put("expected", member.plan().finalStack().expectation().name());
            c.put("license", member.plan().license().name());
            c.put("address", member.plan().address());
            c.put("behindNat", member.plan().behindNat());
        }
        ObjectNode root = Json.mapper().createObjectNode();
        root.set("clients", clients);
        try {
            Files.writeString(file, Json.writer().withDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
