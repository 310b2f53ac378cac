package io.tlswatch.validator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.validator.machine.SharedMachines;

import java.io.IOException;
import java.net.URI;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The machine endpoints of the license API (docs/api.md, "Machines"): explicit activation, heartbeats and
 * deactivation. Each runs the same license and proof checks as a validation ({@link LicenseService}), with the
 * proof's {@code htu} held to the endpoint's own public URI, then its own machine step on {@link SharedMachines}.
 * Plain and thread-safe; runs on the API's worker threads (an activation or deactivation waits for its row).
 */
public final class MachineService {

    public static final String ACTIVATE_PATH = "/v1/machines/activate";
    public static final String HEARTBEAT_PATH = "/v1/machines/heartbeat";
    public static final String DEACTIVATE_PATH = "/v1/machines/deactivate";
    /** The code of a deactivation's answer: not a license check code, as nothing was checked for use. */
    static final String DEACTIVATED = "DEACTIVATED";
    private static final int MAX_NAME = 128;

    /** The three endpoints, as the meters tag them. */
    enum Endpoint {
        ACTIVATE, HEARTBEAT, DEACTIVATE
    }

    private final LicenseService licenses;
    private final SharedMachines machines;
    private final Map<Endpoint, URI> uris = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Counter> accepted = new EnumMap<>(Endpoint.class);
    private final Map<Endpoint, Counter> refused = new EnumMap<>(Endpoint.class);

    /** @param publicUri an endpoint's public URI by its path ({@code ValidatorConfig#publicUri}) */
    public MachineService(LicenseService licenses, SharedMachines machines,
                          Function<String, URI> publicUri, MeterRegistry meters) {
        this.licenses = Objects.requireNonNull(licenses, "licenses");
        this.machines = Objects.requireNonNull(machines, "machines");
        uris.put(Endpoint.ACTIVATE, publicUri.apply(ACTIVATE_PATH));
        uris.put(Endpoint.HEARTBEAT, publicUri.apply(HEARTBEAT_PATH));
        uris.put(Endpoint.DEACTIVATE, publicUri.apply(DEACTIVATE_PATH));
        for (Endpoint endpoint : Endpoint.values()) {
            accepted.put(endpoint, requests(meters, endpoint, "accepted"));
            refused.put(endpoint, requests(meters, endpoint, "refused"));
        }
    }

    private static Counter requests(MeterRegistry meters, Endpoint endpoint, String outcome) {
        return Counter.builder("tlswatch.machines.requests")
                .description("Answers of the machine endpoints, by endpoint and whether the request was accepted")
                .tag("endpoint", endpoint.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .register(meters);
    }

    /** The optional {@code name} of an activation, or the error naming it; the rest is read as validate's. */
    public record Name(String value, RequestError error) {
    }

    public static Name readName(byte[] body) {
        JsonNode name;
        try {
            JsonNode root = Json.reader().readTree(body);
            name = root == null ? null : root.get("name");
        } catch (IOException e) {
            return new Name(null, RequestError.malformed("the body is not valid JSON"));
        }
        if (name == null || name.isNull()) {
            return new Name(null, null);
        }
        if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME) {
            return new Name(null, RequestError.invalid("/name",
                    "name must be a non-empty string of at most " + MAX_NAME + " characters"));
        }
        return new Name(name.asText(), null);
    }

    /** An explicit activation: exactly validate's answer (code, license, token, machine). */
    public LicenseService.Answer activate(ValidateRequest request, String name, List<String> dpopHeaders,
                                          ConnectionFacts connection, long startedNanos) {
        LicenseService.Answer answer = licenses.answer(uris.get(Endpoint.ACTIVATE),
                (license, clientId, terms, now) -> machines.activateExplicitly(license, clientId, name, terms, now),
                true, request, dpopHeaders, connection, startedNanos);
        count(Endpoint.ACTIVATE, answer.code() == LicenseCheckCode.VALID);
        return answer;
    }

    /** A heartbeat: {@code VALID} with the machine, {@code NO_MACHINE}, or the license's refusal. */
    public LicenseService.Answer heartbeat(ValidateRequest request, List<String> dpopHeaders,
                                           ConnectionFacts connection, long startedNanos) {
        LicenseService.Answer checked = licenses.answer(uris.get(Endpoint.HEARTBEAT),
                (license, clientId, terms, now) -> machines.heartbeat(license, clientId, now),
                false, request, dpopHeaders, connection, startedNanos);
        boolean valid = checked.code() == LicenseCheckCode.VALID;
        count(Endpoint.HEARTBEAT, valid);
        return new LicenseService.Answer(machineBody(checked, valid, checked.code().name(),
                LicenseService.detail(checked.code())), null, checked.code());
    }

    /** A deactivation (uninstall): {@code DEACTIVATED} with the machine, {@code NO_MACHINE}, or a refusal. */
    public LicenseService.Answer deactivate(ValidateRequest request, List<String> dpopHeaders,
                                            ConnectionFacts connection, long startedNanos) {
        AtomicReference<Map<String, Object>> deactivated = new AtomicReference<>();
        LicenseService.Answer checked = licenses.answer(uris.get(Endpoint.DEACTIVATE),
                (license, clientId, terms, now) -> {
                    LicenseCheckCode refusal = machines.deactivateByClient(license, clientId, now);
                    if (refusal == null) {
                        machines.machine(license.licenseId(), clientId)
                                .ifPresent(row -> deactivated.set(MachineJson.describe(row, terms)));
                    }
                    return refusal;
                },
                false, request, dpopHeaders, connection, startedNanos);
        boolean done = checked.code() == LicenseCheckCode.VALID;
        count(Endpoint.DEACTIVATE, done);
        Map<String, Object> body = done
                ? machineBody(checked, false, DEACTIVATED, "this machine is deactivated and its slot is free")
                : machineBody(checked, false, checked.code().name(), LicenseService.detail(checked.code()));
        if (deactivated.get() != null) {
            body.put("machine", deactivated.get());
        }
        return new LicenseService.Answer(body, null, checked.code());
    }

    private static Map<String, Object> machineBody(LicenseService.Answer checked, boolean valid, String code,
                                                   String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("valid", valid);
        body.put("code", code);
        body.put("detail", detail);
        Object machine = checked.body().get("machine");
        if (machine != null) {
            body.put("machine", machine);
        }
        return body;
    }

    private void count(Endpoint endpoint, boolean ok) {
        (ok ? accepted : refused).get(endpoint).increment();
    }
}
