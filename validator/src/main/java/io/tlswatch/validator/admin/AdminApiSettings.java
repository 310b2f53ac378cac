package io.tlswatch.validator.admin;

import io.tlswatch.contract.config.ConfigSource;

import java.time.Duration;
import java.util.Set;

/**
 * The admin API's settings (docs/validator.md): off unless {@code admin.api.port} is set.
 *
 * @param port              the HTTPS port, 0 for a free one; -1 when the admin API is off
 * @param requestsPerMinute requests a minute per token, bursts of a tenth of that; 0 for no limit
 * @param writeTimeout      how long a change may wait for Kafka to confirm it (then 503)
 */
public record AdminApiSettings(int port, int requestsPerMinute, Duration writeTimeout) {

    public static final String KEY_PORT = "admin.api.port";
    public static final Set<String> KEYS = Set.of(KEY_PORT, "admin.api.requestsPerMinute", "admin.api.writeTimeout");
    public static final AdminApiSettings OFF = new AdminApiSettings(-1, 600, Duration.ofSeconds(10));

    public boolean enabled() {
        return port >= 0;
    }

    public static AdminApiSettings from(ConfigSource c) {
        return new AdminApiSettings(
                c.optional(KEY_PORT).isPresent() ? c.integer(KEY_PORT, 0, 0, 65_535) : -1,
                c.integer("admin.api.requestsPerMinute", OFF.requestsPerMinute(), 0, 1_000_000),
                c.positiveDuration("admin.api.writeTimeout", OFF.writeTimeout()));
    }
}
