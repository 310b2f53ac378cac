package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.validator.table.TableSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest row per license id, indexed by id and by key hash: the registry topic folded into memory.
 *
 * <p>One thread writes ({@link #put}, {@link #remove}), any number read. Each lookup is a single read of a
 * {@link ConcurrentHashMap}, so a reader sees either the previous or the new row of a license, never a mix.
 *
 * <p>Two licenses with the same key hash would mean a registry written by hand or by a broken tool: the later
 * row takes the key and a warning names both.
 */
final class LicenseTable implements LicenseLookup {

    private static final Logger log = LoggerFactory.getLogger(LicenseTable.class);

    private final Map<String, LicenseRecord> byId = new ConcurrentHashMap<>();
    private final Map<String, LicenseRecord> byKeyHash = new ConcurrentHashMap<>();

    void put(LicenseRecord license) {
        Objects.requireNonNull(license, "license");
        LicenseRecord previous = byId.put(license.licenseId(), license);
        if (previous != null && !previous.keyHash().equals(license.keyHash())) {
            byKeyHash.remove(previous.keyHash(), previous);
        }
        LicenseRecord displaced = byKeyHash.put(license.keyHash(), license);
        if (displaced != null && !displaced.licenseId().equals(license.licenseId())) {
            log.warn("Licenses {} and {} have the same key hash; the key now belongs to {}",
                    displaced.licenseId(), license.licenseId(), license.licenseId());
        }
    }

    /** Deletes a license (a tombstone); returns whether it was known. */
    boolean remove(String licenseId) {
        LicenseRecord previous = byId.remove(licenseId);
        if (previous == null) {
            return false;
        }
        byKeyHash.remove(previous.keyHash(), previous);
        return true;
    }

    /** Puts what a table reader reads into this table. */
    TableSink<LicenseRecord> sink() {
        return new TableSink<>() {
            @Override
            public void apply(String key, LicenseRecord row, int partition, long offset) {
                if (row == null) {
                    remove(key);
                } else {
                    put(row);
                }
            }

            @Override
            public void skipped(int partition, long offset) {
            }
        };
    }

    @Override
    public Optional<LicenseRecord> byKeyHash(String keyHash) {
        return Optional.ofNullable(byKeyHash.get(keyHash));
    }

    Optional<LicenseRecord> byId(String licenseId) {
        return Optional.ofNullable(byId.get(licenseId));
    }

    int size() {
        return byId.size();
    }

    /** A copy of every license, by license id. */
    List<LicenseRecord> all() {
        return byId.values().stream().sorted(Comparator.comparing(LicenseRecord::licenseId)).toList();
    }
}
