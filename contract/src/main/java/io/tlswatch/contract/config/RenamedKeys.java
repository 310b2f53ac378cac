package io.tlswatch.contract.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Configuration keys that were renamed: the old name is still read, for one release, under its new name, and a
 * warning names both so that operators can update their files before the old name stops being accepted.
 * When a file sets both names, the new one wins and the old one is reported as ignored.
 */
public final class RenamedKeys {

    private static final Logger log = LoggerFactory.getLogger(RenamedKeys.class);

    public static final RenamedKeys NONE = new RenamedKeys(Map.of());

    private final Map<String, String> newByOld;

    private RenamedKeys(Map<String, String> newByOld) {
        this.newByOld = Map.copyOf(newByOld);
    }

    /** @param oldAndNew pairs: old name, new name, old name, new name, ... */
    public static RenamedKeys of(String... oldAndNew) {
        if (oldAndNew.length % 2 != 0) {
            throw new IllegalArgumentException("old and new names come in pairs");
        }
        Map<String, String> renames = new LinkedHashMap<>();
        for (int i = 0; i < oldAndNew.length; i += 2) {
            renames.put(oldAndNew[i], oldAndNew[i + 1]);
        }
        return new RenamedKeys(renames);
    }

    /** These renames and {@code other}'s. */
    public RenamedKeys and(RenamedKeys other) {
        Map<String, String> both = new HashMap<>(newByOld);
        both.putAll(other.newByOld);
        return new RenamedKeys(both);
    }

    /** The new name of {@code oldName}, or null when it was not renamed. */
    public String newName(String oldName) {
        return newByOld.get(oldName);
    }

    /** {@code known} and the old names, which a file may still use: the set to check a file's keys against. */
    public Set<String> accepting(Set<String> known) {
        Set<String> keys = new HashSet<>(known);
        keys.addAll(newByOld.keySet());
        return Set.copyOf(keys);
    }

    /** {@code source} with each old name's value moved to the new name, warning once per old name found. */
    public ConfigSource applyTo(ConfigSource source) {
        Map<String, String> values = new HashMap<>(source.all());
        boolean changed = false;
        for (Map.Entry<String, String> rename : newByOld.entrySet()) {
            String value = values.remove(rename.getKey());
            if (value == null) {
                continue;
            }
            changed = true;
            if (values.containsKey(rename.getValue())) {
                log.warn("Configuration key {} is renamed {}; both are set in {}, so {} is ignored", rename.getKey(),
                        rename.getValue(), source.origin(), rename.getKey());
            } else {
                log.warn("Configuration key {} is renamed {}: the old name still works in this release, but not in "
                        + "the next; please rename it in {}", rename.getKey(), rename.getValue(), source.origin());
                values.put(rename.getValue(), value);
            }
        }
        return changed ? source.withValues(values) : source;
    }
}
