package io.tlswatch.notifier.config;

import io.tlswatch.contract.config.ConfigException;
import io.tlswatch.contract.config.ConfigSource;

import java.net.URI;
import java.time.Duration;

/**
 * When many clients failing for one cause are paged once, as a cohort (docs/alerting.md, "Cohorts").
 *
 * @param threshold    a cohort opens when more than this many clients turn stuck or at risk for one cause within
 *                     {@code window}; 0 turns grouping off (every client is paged at once, as before)
 * @param window       how long a client's page is held to see whether its cause is fleet-wide, and so the span
 *                     the clients are counted over
 * @param queryBaseUrl the streams query API's base URL, for the link to a cohort's clients; {@code null}: no link
 */
public record CohortSettings(int threshold, Duration window, URI queryBaseUrl) {

    public static final String THRESHOLD = "alerts.cohort.threshold";
    public static final String WINDOW = "alerts.cohort.window";
    public static final String QUERY_BASE_URL = "alerts.cohort.queryBaseUrl";
    /** A held page waits at most this long: longer would let a single client's page wait too long. */
    public static final Duration MAX_WINDOW = Duration.ofMinutes(30);

    public CohortSettings {
        if (threshold < 0) {
            throw new ConfigException(THRESHOLD + " must be 0 (off) or more, was " + threshold);
        }
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw new ConfigException(WINDOW + " must be more than zero and at most " + MAX_WINDOW + ", was "
                    + window);
        }
    }

    public boolean enabled() {
        return threshold > 0;
    }

    static CohortSettings from(ConfigSource c) {
        return new CohortSettings(c.integer(THRESHOLD, 20, 0, 1_000_000),
                c.positiveDuration(WINDOW, Duration.ofMinutes(5)),
                c.optional(QUERY_BASE_URL).filter(s -> !s.isBlank()).map(CohortSettings::baseUrl).orElse(null));
    }

    private static URI baseUrl(String raw) {
        try {
            URI uri = URI.create(raw.trim());
            if (uri.getHost() == null || !("https".equalsIgnoreCase(uri.getScheme())
                    || "http".equalsIgnoreCase(uri.getScheme())) || uri.getRawQuery() != null) {
                throw new IllegalArgumentException("not an http(s) base URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(QUERY_BASE_URL + " must be an http or https URL with a host and no query, "
                    + "e.g. http://tlswatch-streams:9403, was '" + raw + "'");
        }
    }
}
