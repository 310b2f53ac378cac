package io.tlswatch.notifier.config;

import java.net.URI;
import java.util.Locale;

/**
 * The kinds of target the notifier can deliver to, with what each needs: its default endpoint, the name of its
 * secret in the configuration, and its default rate limit.
 */
public enum TargetKind {
    /** PagerDuty Events API v2; the secret is the integration's routing key. */
    PAGERDUTY(URI.create("https://events.pagerduty.com/v2/enqueue"), "routingKey", 120),
    /** Opsgenie Alert API; the secret is an API integration key. {@code url} is the API base. */
    OPSGENIE(URI.create("https://api.opsgenie.com"), "apiKey", 600),
    /** Slack incoming webhook; the webhook URL itself is the secret. */
    SLACK(null, "webhookUrl", 60),
    /** Prometheus Alertmanager's {@code /api/v2/alerts}; {@code url} is its base, no secret. */
    ALERTMANAGER(null, null, 0),
    /** Any HTTP endpoint, sent the alert as JSON and signed with HMAC-SHA256; the secret is the HMAC key. */
    WEBHOOK(null, "hmacKey", 0);

    private final URI defaultUrl;
    private final String secretName;
    private final int defaultPerMinute;

    TargetKind(URI defaultUrl, String secretName, int defaultPerMinute) {
        this.defaultUrl = defaultUrl;
        this.secretName = secretName;
        this.defaultPerMinute = defaultPerMinute;
    }

    /** The endpoint used when {@code url} is not set; {@code null} when the kind has none and one is required. */
    public URI defaultUrl() {
        return defaultUrl;
    }

    /** The secret's property stem ({@code routingKey} read from {@code routingKeyEnv} or {@code routingKeyFile}), or null. */
    public String secretName() {
        return secretName;
    }

    /** Events per minute the service accepts per integration (0: no limit), used when {@code ratePerMinute} is not set. */
    public int defaultPerMinute() {
        return defaultPerMinute;
    }

    /** The spelling in configuration, metrics and dead letters. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
