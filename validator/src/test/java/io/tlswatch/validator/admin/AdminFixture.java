package io.tlswatch.validator.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tlswatch.contract.event.AdminScope;
import io.tlswatch.contract.event.AdminTokenRecord;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.MachineRecord;
import io.tlswatch.contract.event.PolicyRecord;
import io.tlswatch.contract.topic.Deletion;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.license.LicenseKeys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** An admin API over in-memory tables: each write lands in its table at once, as a follower would apply it. */
final class AdminFixture {

    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    static final int MACHINE_PARTITIONS = 3;

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Map<String, LicenseRecord> licenses = new TreeMap<>();
    final Map<String, PolicyRecord> policies = new TreeMap<>();
    final Map<String, MachineRecord> machines = new TreeMap<>();
    final Map<String, AdminTokenRecord> tokens = new TreeMap<>();
    final List<Write> writes = new ArrayList<>();
    final List<Deletion> deletions = new ArrayList<>();
    final AtomicLong nanoTime = new AtomicLong();
    final AdminTokenFormat format = new AdminTokenFormat(new SecureRandom());
    final AdminMetrics metrics = new AdminMetrics(meters);
    final AdminApi api;

    record Write(String topic, String key, Event value, Integer partition) {
    }

    final AdminWrites kafka = new AdminWrites() {
        @Override
        @SuppressWarnings("unchecked")
        public <V extends Event> Written write(Topic<String, V> topic, String key, V value, Integer partition) {
            writes.add(new Write(topic.name(), key, value, partition));
            Map<String, Object> table = (Map<String, Object>) (Map<String, ?>) (
                    topic.name().equals(Topics.LICENSES.name()) ? licenses
                            : topic.name().equals(Topics.POLICIES.name()) ? policies : machines);
            if (value == null) {
                table.remove(key);
            } else {
                table.put(key, value);
            }
            return new Written(0, writes.size() - 1);
        }

        @Override
        public Written delete(Topic<String, ?> topic, String key, Deletion deletion) {
            deletions.add(deletion);
            return write((Topic<String, Event>) topic, key, null, null);
        }

        @Override
        public int partitions(Topic<String, ?> topic) {
            return MACHINE_PARTITIONS;
        }
    };

    final LicenseDirectory licenseDirectory = new LicenseDirectory() {
        @Override
        public Optional<LicenseRecord> get(String licenseId) {
            return Optional.ofNullable(licenses.get(licenseId));
        }

        @Override
        public List<LicenseRecord> all() {
            return List.copyOf(licenses.values());
        }

        @Override
        public boolean awaitRow(String licenseId, String rowId, Duration timeout) {
            return true;
        }
    };

    AdminFixture(int requestsPerMinute) {
        PolicyDirectory policyDirectory = new TablePolicyDirectory(new TableReads<>(
                id -> Optional.ofNullable(policies.get(id)), policies::values, (partition, offset, timeout) -> true));
        MachineDirectory machineDirectory = new TableMachineDirectory(new TableReads<>(
                key -> Optional.ofNullable(machines.get(key)), machines::values, (partition, offset, timeout) -> true));
        SecureRandom random = new SecureRandom();
        api = new AdminApi(new AdminAuthenticator(id -> Optional.ofNullable(tokens.get(id)), clock),
                new AdminRateLimiter(requestsPerMinute, nanoTime::get), metrics,
                new LicenseOperations(licenseDirectory, policyDirectory, kafka, Topics.LICENSES,
                        new LicenseKeys(random), clock, "validator@test", Duration.ofSeconds(1)),
                new MachineOperations(licenseDirectory, machineDirectory, kafka, Topics.MACHINES, clock,
                        "validator@test"),
                new PolicyOperations(policyDirectory, licenseDirectory, kafka, Topics.POLICIES, random, clock,
                        "validator@test", Duration.ofSeconds(1)));
    }

    AdminFixture() {
        this(0);
    }

    /** A token of {@code scope} named {@code name}, stored hashed; returns the token itself. */
    String token(String name, AdminScope scope, Instant expiresAt) {
        AdminTokenFormat.NewToken token = format.generate();
        tokens.put(token.tokenId(), AdminTokenRecord.of(NOW, "test", token.tokenId(), name, scope,
                AdminTokenFormat.hash(token.token()), expiresAt, "test"));
        return token.token();
    }

    LicenseRecord license(String licenseId) {
        LicenseRecord license = LicenseRecord.builder().time(NOW).source("test").licenseId(licenseId)
                .customer("Acme").plan("pro").maxMachines(2).notBefore(NOW.minusSeconds(60))
                .notAfter(NOW.plus(Duration.ofDays(30))).licenseKey("TLSW-" + licenseId).build();
        licenses.put(licenseId, license);
        return license;
    }

    MachineRecord machine(String licenseId, String machineId) {
        MachineRecord machine = MachineRecord.activated(NOW.minusSeconds(30), "validator@a", licenseId, machineId,
                "host-" + machineId);
        machines.put(machine.key(), machine);
        return machine;
    }

    AdminResponse call(String token, String method, String path, String json) {
        int q = path.indexOf('?');
        Map<String, List<String>> params = new QueryStringDecoder(q < 0 ? "" : path.substring(q)).parameters();
        return api.handle(new AdminRequest(method, q < 0 ? path : path.substring(0, q), params,
                token == null ? null : "Bearer " + token, json == null ? null : "application/json",
                json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8)));
    }
}
