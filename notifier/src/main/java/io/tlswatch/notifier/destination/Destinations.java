package io.tlswatch.notifier.destination;

import io.tlswatch.notifier.config.SecretValue;
import io.tlswatch.notifier.config.TargetConfig;

import java.time.Clock;
import java.util.function.UnaryOperator;

/** Builds the target a configuration describes, reading its secret. */
public final class Destinations {

    private Destinations() {
    }

    /**
     * @throws io.tlswatch.contract.config.ConfigException when the secret cannot be read, naming where it was looked for
     */
    public static Destination create(TargetConfig config, UnaryOperator<String> environment, Clock clock) {
        SecretValue secret = config.secret() == null ? null : config.secret().resolve(environment);
        Endpoint endpoint = new Endpoint(config.name(), config.kind(), config.url(), config.timeout());
        return switch (config.kind()) {
            case PAGERDUTY -> new PagerDutyDestination(endpoint, secret);
            case OPSGENIE -> new OpsgenieDestination(endpoint, secret);
            case SLACK -> new SlackDestination(endpoint, checkedUrl(config, secret));
            case ALERTMANAGER -> new AlertmanagerDestination(endpoint, config.firingTtl());
            case WEBHOOK -> new WebhookDestination(endpoint, secret, clock);
        };
    }

    private static SecretValue checkedUrl(TargetConfig config, SecretValue url) {
        try {
            java.net.URI uri = java.net.URI.create(url.reveal());
            if (uri.getHost() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException();
            }
        } catch (RuntimeException e) {
            // The value is a secret: say where it came from, never what it is.
            throw new io.tlswatch.contract.config.ConfigException("target." + config.name()
                    + ": the Slack webhook URL from " + config.secret() + " is not an http(s) URL");
        }
        return url;
    }
}
