package io.tlswatch.notifier.config;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.Severity;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads the {@code target.<name>.<property>} keys of the targets named in {@code targets}. Properties are matched
 * without regard to case, because environment overrides ({@code TLSWATCH_TARGET_PD1_ROUTINGKEYENV}) arrive in
 * lower case. Any key of an unnamed target, an unknown property, or a secret written into the file is an error
 * naming the key.
 */
final class TargetConfigReader {

    static final String PREFIX = "target.";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,31}");
    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<String> COMMON = List.of("kind", "url", "severities", "kinds", "ratePerMinute",
            "queueCapacity", "timeout", "maxAttempts", "firingTtl");

    private TargetConfigReader() {
    }

    static List<TargetConfig> read(ConfigSource c, List<String> names, DeliverySettings delivery) {
        Set<String> seen = new LinkedHashSet<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException("targets: '" + name + "' is not a valid target name (lowercase letters "
                        + "and digits, starting with a letter, at most 32)");
            }
            if (!seen.add(name)) {
                throw new ConfigException("targets: '" + name + "' is listed twice");
            }
        }
        Map<String, Map<String, String>> byTarget = new HashMap<>();
        Set<String> unknown = new TreeSet<>();
        c.all().forEach((key, value) -> {
            if (!key.startsWith(PREFIX)) {
                return;
            }
            String rest = key.substring(PREFIX.length());
            int dot = rest.indexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot);
            if (dot < 0 || !seen.contains(name)) {
                unknown.add(key);
                return;
            }
            String property = rest.substring(dot + 1);
            Map<String, String> props = byTarget.computeIfAbsent(name, n -> new HashMap<>());
            String lower = property.toLowerCase(Locale.ROOT);
            // An environment override arrives in lower case beside the file's camelCase key: the override wins.
            if (!props.containsKey(lower) || property.equals(lower)) {
                props.put(lower, value);
            }
        });
        if (!unknown.isEmpty()) {
            throw new ConfigException("configuration key" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown)
                    + " belong" + (unknown.size() > 1 ? "" : "s") + " to no target named in targets " + names);
        }
        List<TargetConfig> targets = new ArrayList<>();
        for (String name : names) {
            targets.add(target(name, byTarget.getOrDefault(name, Map.of()), delivery));
        }
        return List.copyOf(targets);
    }

    private static TargetConfig target(String name, Map<String, String> props, DeliverySettings delivery) {
        String prefix = PREFIX + name + ".";
        String kindRaw = props.get("kind");
        if (kindRaw == null) {
            throw new ConfigException(prefix + "kind is required: one of " + kindNames());
        }
        TargetKind kind;
        try {
            kind = TargetKind.valueOf(kindRaw.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(prefix + "kind must be one of " + kindNames() + ", was '" + kindRaw + "'");
        }
        Set<String> allowed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        allowed.addAll(COMMON);
        if (kind.secretName() != null) {
            allowed.add(kind.secretName() + "Env");
            allowed.add(kind.secretName() + "File");
        }
        for (String property : props.keySet()) {
            if (kind.secretName() != null && property.equalsIgnoreCase(kind.secretName())) {
                throw new ConfigException(prefix + property + ": secrets are never read from the configuration; "
                        + "set " + prefix + kind.secretName() + "Env (an environment variable's name) or "
                        + prefix + kind.secretName() + "File (a file's path)");
            }
            if (kind == TargetKind.SLACK && property.equals("url")) {
                throw new ConfigException(prefix + "url: a Slack webhook URL is a secret; set " + prefix
                        + "webhookUrlEnv or " + prefix + "webhookUrlFile");
            }
            if (!allowed.contains(property)) {
                throw new ConfigException(prefix + property + " is not a setting of a " + kind.configName()
                        + " target; known: " + allowed);
            }
        }
        URI url = url(prefix, props.get("url"), kind);
        Secret secret = secret(prefix, props, kind);
        ConfigSource own = ConfigSource.of(prefixed(prefix, props));
        int maxAttempts = own.integer(prefix + "maxattempts", delivery.maxAttempts(), 1, 100);
        Duration timeout = own.duration(prefix + "timeout", Duration.ofSeconds(10));
        if (timeout.isZero()) {
            throw new ConfigException(prefix + "timeout must be more than zero");
        }
        Duration firingTtl = own.duration(prefix + "firingttl", Duration.ofDays(7));
        if (firingTtl.isZero()) {
            throw new ConfigException(prefix + "firingTtl must be more than zero");
        }
        return new TargetConfig(name, kind, url, secret, severities(prefix, props.get("severities")),
                kinds(prefix, props.get("kinds")),
                own.integer(prefix + "rateperminute", kind.defaultPerMinute(), 0, 1_000_000),
                own.integer(prefix + "queuecapacity", 1_000, 1, 1_000_000), timeout, maxAttempts, firingTtl);
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> props) {
        Map<String, String> out = new HashMap<>();
        props.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    private static URI url(String prefix, String raw, TargetKind kind) {
        if (raw == null || raw.isBlank()) {
            if (kind.defaultUrl() == null && kind != TargetKind.SLACK) {
                throw new ConfigException(prefix + "url is required for a " + kind.configName() + " target");
            }
            return kind.defaultUrl();
        }
        try {
            URI uri = URI.create(raw.trim());
            if (uri.getHost() == null || !("https".equalsIgnoreCase(uri.getScheme())
                    || "http".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL with a host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(prefix + "url must be an http or https URL with a host, was '" + raw + "'");
        }
    }

    private static Secret secret(String prefix, Map<String, String> props, TargetKind kind) {
        if (kind.secretName() == null) {
            return null;
        }
        String env = props.get((kind.secretName() + "Env").toLowerCase(Locale.ROOT));
        String file = props.get((kind.secretName() + "File").toLowerCase(Locale.ROOT));
        if (env != null && file != null) {
            throw new ConfigException(prefix + kind.secretName() + "Env and " + prefix + kind.secretName()
                    + "File are both set; set one");
        }
        if (env != null && !env.isBlank()) {
            return new Secret.Env(env.trim());
        }
        if (file != null && !file.isBlank()) {
            return new Secret.File(Path.of(file.trim()));
        }
        throw new ConfigException(prefix + kind.secretName() + "Env or " + prefix + kind.secretName()
                + "File is required for a " + kind.configName() + " target");
    }

    private static Set<Severity> severities(String prefix, String raw) {
        if (raw == null || raw.isBlank()) {
            return EnumSet.allOf(Severity.class);
        }
        Set<Severity> out = EnumSet.noneOf(Severity.class);
        for (String part : raw.split(",")) {
            String value = part.trim();
            if (value.isEmpty()) {
                continue;
            }
            try {
                out.add(Severity.valueOf(value.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(prefix + "severities: '" + value + "' is not one of critical, warning, info");
            }
        }
        return out;
    }

    private static Set<String> kinds(String prefix, String raw) {
        if (raw == null || raw.isBlank()) {
            return Set.of();
        }
        Set<String> out = new TreeSet<>();
        for (String part : raw.split(",")) {
            String value = part.trim();
            if (value.isEmpty()) {
                continue;
            }
            if (!KIND.matcher(value).matches()) {
                throw new ConfigException(prefix + "kinds: '" + value + "' is not an alert kind (lowercase snake_case)");
            }
            out.add(value);
        }
        return out;
    }

    private static List<String> kindNames() {
        return java.util.Arrays.stream(TargetKind.values()).map(TargetKind::configName).toList();
    }
}
