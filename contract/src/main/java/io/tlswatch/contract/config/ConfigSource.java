package io.tlswatch.contract.config;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A service's flat configuration: {@code key=value} lines from an optional file, each overridable by an
 * environment variable {@code TLSWATCH_<KEY>} (upper case, dots as underscores: {@code tls.allowInsecure} is
 * {@code TLSWATCH_TLS_ALLOWINSECURE}). Keys under a pass-through prefix (such as {@code kafka.}) are taken
 * as they are; any other key the service does not know is an error naming it, so a typo never silently
 * falls back to a default.
 */
public final class ConfigSource {

    public static final String ENV_PREFIX = "TLSWATCH_";

    private final Map<String, String> values;
    private final String origin;

    private ConfigSource(Map<String, String> values, String origin) {
        this.values = Map.copyOf(values);
        this.origin = origin;
    }

    /**
     * @param file          the configuration file, or null for defaults and environment only
     * @param environment   usually {@code System.getenv()}
     * @param knownKeys     every key the service reads
     * @param passThrough   prefixes whose keys are passed on unchecked (e.g. {@code kafka.})
     */
    public static ConfigSource load(Path file, Map<String, String> environment, Set<String> knownKeys,
                                    List<String> passThrough) {
        return load(file, environment, knownKeys, passThrough, RenamedKeys.NONE);
    }

    /**
     * Like {@link #load(Path, Map, Set, List)}, also accepting the old names of {@code renamed} keys (in the file
     * and the environment) and reading them under their new names.
     */
    public static ConfigSource load(Path file, Map<String, String> environment, Set<String> knownKeys,
                                    List<String> passThrough, RenamedKeys renamed) {
        Set<String> accepted = renamed.accepting(knownKeys);
        Map<String, String> values = new HashMap<>();
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new ConfigException("configuration file " + file + " cannot be read: " + e.getMessage());
            }
            Set<String> unknown = new TreeSet<>();
            for (String key : properties.stringPropertyNames()) {
                if (!accepted.contains(key) && passThrough.stream().noneMatch(key::startsWith)) {
                    unknown.add(key);
                }
                values.put(key, properties.getProperty(key).trim());
            }
            if (!unknown.isEmpty()) {
                KeySuggestions suggestions = new KeySuggestions(knownKeys);
                if (unknown.size() == 1) {
                    String key = unknown.iterator().next();
                    throw new ConfigException("unknown configuration key " + key + " in " + file + ": "
                            + suggestions.hint(key));
                }
                throw new ConfigException("unknown configuration keys in " + file + ": " + String.join(", ",
                        unknown.stream().map(key -> key + " (" + suggestions.hint(key) + ")").toList()));
            }
        }
        for (String key : accepted) {
            String fromEnv = environment.get(envName(key));
            if (fromEnv != null) {
                values.put(key, fromEnv.trim());
            }
        }
        // Pass-through keys can come from the environment too (TLSWATCH_KAFKA_BOOTSTRAP_SERVERS and the like),
        // and like every other key the environment wins over the file.
        environment.forEach((name, value) -> {
            for (String prefix : passThrough) {
                String envPrefix = envName(prefix);
                if (name.startsWith(envPrefix) && name.length() > envPrefix.length()) {
                    String rest = name.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    values.put(prefix + rest, value.trim());
                }
            }
        });
        return renamed.applyTo(new ConfigSource(values, file == null ? "defaults and environment" : file.toString()));
    }

    public static ConfigSource of(Map<String, String> values) {
        return new ConfigSource(values, "given values");
    }

    /** The same origin with other values: what {@link RenamedKeys} returns after moving old names to new. */
    ConfigSource withValues(Map<String, String> replaced) {
        return new ConfigSource(replaced, origin);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public Map<String, String> all() {
        return values;
    }

    public String origin() {
        return origin;
    }

    public String string(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    public Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
    }

    public int integer(String key, int defaultValue, int min, int max) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value < min || value > max) {
                throw new ConfigException(key + " must be between " + min + " and " + max + ", was " + raw);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number, was '" + raw + "'");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key + " must be true or false, was '" + raw + "'");
        };
    }

    /** An ISO-8601 duration ({@code PT15M}) or a number with a unit: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}. */
    public Duration duration(String key, Duration defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            Duration value = parseDuration(raw);
            if (value.isNegative()) {
                throw new ConfigException(key + " must not be negative, was " + raw);
            }
            return value;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new ConfigException(key + " must be a duration such as 30s, 15m or PT15M, was '" + raw + "'");
        }
    }

    /** Like {@link #duration}, and more than zero. */
    public Duration positiveDuration(String key, Duration defaultValue) {
        Duration value = duration(key, defaultValue);
        if (value.isZero()) {
            throw new ConfigException(key + " must be more than zero");
        }
        return value;
    }

    /**
     * Builds a value from settings, turning what its constructor refuses ({@link IllegalArgumentException})
     * into a {@link ConfigException} that names {@code key}, unless the message already names a key.
     */
    public static <T> T checked(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "invalid" : e.getMessage();
            throw new ConfigException(namesAKey(message, key) ? message : key + ": " + message);
        }
    }

    // "kafka.bootstrap.servers must ..." names a key already; "must be ..." does not.
    private static boolean namesAKey(String message, String key) {
        int space = message.indexOf(' ');
        String first = space < 0 ? message : message.substring(0, space);
        return message.startsWith(key) || first.indexOf('.') > 0;
    }

    /** This host's name: the default {@code node.name} of every service. */
    public static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public List<String> list(String key, List<String> defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        String raw = values.get(key);
        if (raw == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw.replace('-', '_'))) {
                return constant;
            }
        }
        throw new ConfigException(key + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT)).toList() + ", was '" + raw + "'");
    }

    static Duration parseDuration(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("p")) {
            return Duration.parse(raw.trim().toUpperCase(Locale.ROOT));
        }
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        long amount = Long.parseLong(s.substring(0, s.length() - 1));
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new NumberFormatException(raw);
        };
    }
}
