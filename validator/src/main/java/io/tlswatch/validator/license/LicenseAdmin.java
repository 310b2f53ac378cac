package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.validator.table.TableReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The operations behind {@code ./tlswatch licenses issue|revoke|suspend|resume|list} (docs/licenses.md,
 * "Administration"). Each operation reads the registry topic to its end, so it acts on the latest row of every
 * license, and writes a whole new row (new event id and time) acknowledged by all in-sync replicas.
 *
 * <p>Status changes: {@code suspend} and {@code resume} toggle between {@code active} and {@code suspended};
 * {@code revoke} is final, and a revoked license cannot be suspended or resumed. Asking for the status a license
 * already has writes nothing. Two administrators changing the same license at the same moment: the later row
 * wins, as in any compacted table.
 *
 * <p>One operation at a time (not thread-safe); {@link #close()} releases the producer.
 */
public final class LicenseAdmin implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LicenseAdmin.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final KafkaSettings settings;
    private final Topic<String, LicenseRecord> topic;
    private final Clock clock;
    private final String source;
    private final LicenseKeys keys;
    private final Duration timeout;
    private KafkaProducer<String, LicenseRecord> producer;

    /** With a {@link SecureRandom} for keys and {@link #DEFAULT_TIMEOUT} for every Kafka operation. */
    public LicenseAdmin(KafkaSettings settings, Topic<String, LicenseRecord> topic, Clock clock, String source) {
        this(settings, topic, clock, source, new LicenseKeys(new SecureRandom()), DEFAULT_TIMEOUT);
    }

    /**
     * @param source  the {@code source} of the rows written, e.g. {@link #defaultSource()}
     * @param timeout the bound of each Kafka operation: reading the topic to its end, confirming a write
     */
    public LicenseAdmin(KafkaSettings settings, Topic<String, LicenseRecord> topic, Clock clock, String source,
                        LicenseKeys keys, Duration timeout) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source must not be blank");
        }
        this.source = source;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** {@code licenses@<host>}: who wrote a row, as the {@code source} of every event names its node. */
    public static String defaultSource() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "unknown-host";
            }
        }
        return "licenses@" + host;
    }

    /**
     * Issues a new license with a fresh id and key and writes it to the registry.
     *
     * @param entitlements what it entitles to; {@code null} for none
     * @param maxMachines  distinct client ids allowed within the machine window, at least 1
     * @param notBefore    start of validity; {@code null} for now
     * @param notAfter     end of validity; {@code null} for a license that never expires
     * @param grace        offline grace past the last entitlement token; {@code null} for none
     * @return the license and its key, which is shown this once and stored nowhere
     * @throws LicenseAdminException {@code INVALID} for a bad argument, {@code KAFKA} when the write is not
     *                               confirmed
     */
    public IssuedLicense issue(String customer, String plan, List<String> entitlements, int maxMachines,
                               Instant notBefore, Instant notAfter, Duration grace) {
        Instant now = clock.instant();
        String licenseKey = keys.newLicenseKey();
        LicenseRecord license;
        try {
            license = LicenseRecord.builder()
                    .time(now)
                    .source(source)
                    .licenseId(keys.newLicenseId())
                    .customer(customer)
                    .plan(plan)
                    .entitlements(entitlements)
                    .maxMachines(maxMachines)
                    .notBefore(notBefore == null ? now : notBefore)
                    .notAfter(notAfter)
                    .status(LicenseRecordStatus.ACTIVE)
                    .gracePeriod(grace == null ? Duration.ZERO : grace)
                    .licenseKey(licenseKey)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new LicenseAdminException(LicenseAdminException.Kind.INVALID,
                    "cannot issue the license: " + e.getMessage());
        }
        LicenseTable current = readTable();
        // 80 random bits of id and 256 of key make a clash all but impossible; checking costs nothing here.
        if (current.byId(license.licenseId()).isPresent() || current.byKeyHash(license.keyHash()).isPresent()) {
            throw new IllegalStateException("a freshly generated license id or key already exists: "
                    + "the random source is broken");
        }
        write(license);
        log.info("Issued license {} to {} ({}, {} machines)", license.licenseId(), license.customer(),
                license.plan(), license.maxMachines());
        return new IssuedLicense(license, licenseKey);
    }

    /** Revokes a license for good. */
    public StatusChange revoke(String licenseId) {
        return changeStatus(licenseId, LicenseRecordStatus.REVOKED);
    }

    /** Suspends a license until it is resumed. */
    public StatusChange suspend(String licenseId) {
        return changeStatus(licenseId, LicenseRecordStatus.SUSPENDED);
    }

    /** Makes a suspended license active again; a revoked one is refused. */
    public StatusChange resume(String licenseId) {
        return changeStatus(licenseId, LicenseRecordStatus.ACTIVE);
    }

    /** Every license in the registry, by license id. */
    public List<LicenseRecord> list() {
        return readTable().all();
    }

    public Optional<LicenseRecord> find(String licenseId) {
        return readTable().byId(licenseId);
    }

    /** The license a key belongs to: how support answers "which license is this key?" without storing keys. */
    public Optional<LicenseRecord> findByKey(String licenseKey) {
        return readTable().byKey(licenseKey);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(timeout);
            producer = null;
        }
    }

    /**
     * The status a license moves to when {@code target} is asked for, or a refusal; the current status when it
     * already has it.
     */
    static LicenseRecordStatus nextStatus(String licenseId, LicenseRecordStatus current, LicenseRecordStatus target) {
        if (current == LicenseRecordStatus.REVOKED && target != LicenseRecordStatus.REVOKED) {
            throw new LicenseAdminException(LicenseAdminException.Kind.REFUSED, "license " + licenseId
                    + " is revoked, and revocation is final: it cannot be "
                    + (target == LicenseRecordStatus.ACTIVE ? "resumed" : "suspended") + "; issue a new license instead");
        }
        return target;
    }

    private StatusChange changeStatus(String licenseId, LicenseRecordStatus target) {
        if (licenseId == null || licenseId.isBlank()) {
            throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, "a license id is required");
        }
        LicenseRecord current = readTable().byId(licenseId).orElseThrow(() -> new LicenseAdminException(
                LicenseAdminException.Kind.NOT_FOUND, "no license with id '" + licenseId + "' in " + topic.name()
                + " at " + settings.bootstrapServers() + " (see: tlswatch licenses list)"));
        LicenseRecordStatus next = nextStatus(licenseId, current.status(), target);
        if (next == current.status()) {
            return new StatusChange(current.status(), current, false);
        }
        LicenseRecord updated = current.toBuilder().time(clock.instant()).source(source).status(next).build();
        write(updated);
        log.info("License {} {} -> {}", licenseId, lower(current.status()), lower(next));
        return new StatusChange(current.status(), updated, true);
    }

    private static String lower(LicenseRecordStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** Reads the topic from the beginning to the end offsets it has now. */
    private LicenseTable readTable() {
        LicenseTable table = new LicenseTable();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (TableReader<LicenseRecord> reader = new TableReader<>(settings, topic, "license-admin",
                table.sink())) {
            if (!reader.assign(timeout)) {
                throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "topic " + topic.name()
                        + " does not exist at " + settings.bootstrapServers()
                        + "; the validator or 'tlswatch kafka' creates it");
            }
            while (!reader.reachedStartEnd()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "could not read "
                            + topic.name() + " to its end within " + timeout + ": " + reader.progress());
                }
                reader.poll(POLL_TIMEOUT);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "no answer from Kafka at "
                    + settings.bootstrapServers() + " within " + timeout + ": " + e.getMessage(), e);
        } catch (KafkaException e) {
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "reading " + topic.name()
                    + " failed: " + e.getMessage(), e);
        }
        return table;
    }

    private void write(LicenseRecord license) {
        try {
            producer().send(new ProducerRecord<>(topic.name(), license.licenseId(), license))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "interrupted while writing license "
                    + license.licenseId() + "; it may or may not have been written (check with list)", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "writing license "
                    + license.licenseId() + " was not confirmed within " + timeout
                    + "; it may still be written (check with list)", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "writing license "
                    + license.licenseId() + " to " + topic.name() + " failed: " + cause.getMessage(), cause);
        } catch (KafkaException e) {
            throw new LicenseAdminException(LicenseAdminException.Kind.KAFKA, "writing license "
                    + license.licenseId() + " to " + topic.name() + " failed: " + e.getMessage(), e);
        }
    }

    private KafkaProducer<String, LicenseRecord> producer() {
        if (producer == null) {
            Map<String, Object> props = settings.producer("license-admin");
            // The registry is the source of truth for who may validate: no pass-through setting may weaken this.
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
            producer = new KafkaProducer<>(props, topic.keySerde().serializer(), topic.valueSerde().serializer());
        }
        return producer;
    }
}
