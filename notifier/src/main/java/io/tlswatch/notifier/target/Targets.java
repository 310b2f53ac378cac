package io.tlswatch.notifier.target;

import io.tlswatch.notifier.config.SecretValue;
import io.tlswatch.notifier.config.TargetConfig;

import java.time.Clock;
import java.util.function.UnaryOperator;

/** Builds the target a configuration describes, reading its secret. */
public final class Targets {

    private Targets() {
    }

    /**
     * @throws io.tlswatch.contract.config.ConfigException when the secret cannot be read, naming where it was looked for
     */
    public static Target create(TargetConfig config, UnaryOperator<String> environment, Clock clock) {
        SecretValue secret = config.secret() == null ? null : config.secret().resolve(environment);
        return switch (config.kind()) {
            case PAGERDUTY -> new PagerDutyTarget(config.name(), config.url(), secret, config.timeout());
            case OPSGENIE -> new OpsgenieTarget(config.name(), config.url(), secret, config.timeout());
            case SLACK -> new SlackTarget(config.name(), checkedUrl(config, secret), config.timeout());
            case ALERTMANAGER -> new AlertmanagerTarget(config.name(), config.url(), config.timeout(), config.firingTtl());
            case WEBHOOK -> new WebhookTarget(config.name(), config.url(), secret, config.timeout(), clock);
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
