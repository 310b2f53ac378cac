package io.tlswatch.validator.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.contract.event.AdminScope;
import io.tlswatch.contract.event.AdminTokenRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Deletion;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.validator.license.LicenseAdminException;
import io.tlswatch.validator.table.CompactedTable;
import io.tlswatch.validator.table.TableListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The operations behind {@code tlswatch admin-tokens create|list|revoke}, straight against
 * {@code tlswatch.admin-tokens.v1}: a token is made here, its hash written (acks=all) and the token returned to be
 * shown once; revoking writes a tombstone, which every validator applies within seconds. Whoever may write that
 * topic may make admin tokens: guard it with Kafka ACLs (docs/security.md).
 */
public final class AdminTokenStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminTokenStore.class);

    private final KafkaSettings settings;
    private final Topic<String, AdminTokenRecord> topic;
    private final AdminTokenFormat format;
    private final Clock clock;
    private final String source;
    private final Duration timeout;
    private KafkaAdminWrites writes;

    public AdminTokenStore(KafkaSettings settings, Topic<String, AdminTokenRecord> topic, AdminTokenFormat format,
                           Clock clock, String source, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.format = Objects.requireNonNull(format, "format");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.source = Objects.requireNonNull(source, "source");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** A token made and stored (hashed): the record written, and the token, which exists nowhere else. */
    public record Created(AdminTokenRecord record, String token) {
        @Override
        public String toString() {
            return "Created[record=" + record + ", token=(hidden)]";
        }
    }

    /** @param expiresAt when it stops working; null for never */
    public Created create(String name, AdminScope scope, Instant expiresAt) {
        if (name == null || name.isBlank()) {
            throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, "a token needs a --name");
        }
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, "the expiry must be in the future");
        }
        AdminTokenFormat.NewToken token = format.generate();
        AdminTokenRecord record = AdminTokenRecord.of(now, source, token.tokenId(), name, scope,
                AdminTokenFormat.hash(token.token()), expiresAt, source);
        write(record.tokenId(), record);
        log.info("Admin token {} ({}, scope {}) created", record.tokenId(), name, scope);
        return new Created(record, token.token());
    }

    /** Every token's row (hashes, never tokens), by token id. */
    public List<AdminTokenRecord> list() {
        try (CompactedTable<AdminTokenRecord> table = read()) {
            return table.values().stream().sorted(Comparator.comparing(AdminTokenRecord::tokenId)).toList();
        }
    }

    /** Deletes the token's row: it stops working on every validator as soon as each has read the tombstone. */
    public AdminTokenRecord revoke(String tokenId) {
        AdminTokenRecord current;
        try (CompactedTable<AdminTokenRecord> table = read()) {
            current = table.get(tokenId).orElseThrow(() -> new LicenseAdminException(
                    LicenseAdminException.Kind.NOT_FOUND, "no admin token with id '" + tokenId + "' in "
                    + topic.name() + " (see: tlswatch admin-tokens list)"));
        }
        write(kafka -> kafka.delete(topic, tokenId, new Deletion(source, null)));
        log.info("Admin token {} ({}) revoked", tokenId, current.name());
        return current;
    }

    private CompactedTable<AdminTokenRecord> read() {
        CompactedTable<AdminTokenRecord> table = new CompactedTable<>(settings, topic, "admin-tokens-cli",
                new SimpleMeterRegistry(), TableListener.none());
        table.start();
        try {
            table.awaitCaughtUp(timeout);
        } catch (IllegalStateException e) {
            table.close();
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "could not read " + topic.name()
                    + " at " + settings.bootstrapServers() + " within " + timeout + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            table.close();
            Thread.currentThread().interrupt();
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "interrupted reading " + topic.name());
        }
        return table;
    }

    private void write(String tokenId, AdminTokenRecord record) {
        write(kafka -> kafka.write(topic, tokenId, record, null));
    }

    private void write(Consumer<AdminWrites> change) {
        if (writes == null) {
            writes = new KafkaAdminWrites(settings, "admin-tokens-cli", timeout);
        }
        try {
            change.accept(writes);
        } catch (AdminError e) {
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (writes != null) {
            writes.close();
        }
    }
}
