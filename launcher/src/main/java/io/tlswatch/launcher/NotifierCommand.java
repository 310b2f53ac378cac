package io.tlswatch.launcher;

import io.tlswatch.notifier.Notifier;
import io.tlswatch.notifier.NotifierTopics;
import io.tlswatch.notifier.config.NotifierConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code tlswatch notifier}: delivers alerts to pagers, in the foreground until Ctrl-C or SIGTERM. */
@Command(name = "notifier",
        mixinStandardHelpOptions = true,
        description = {"Delivers the alerts of tlswatch.alerts.v1 to PagerDuty, Opsgenie, Slack, Alertmanager and "
                + "signed webhooks.",
                "Needs at least one target (targets=...); admin port 9404, Kafka at localhost:9092. Keys: docs/alerting.md."})
final class NotifierCommand implements Callable<Integer> {

    @CommandLine.Mixin
    private final ServiceOptions service = new ServiceOptions();

    @Override
    public Integer call() {
        return service.run(
                config -> Notifier.start(NotifierConfig.load(config, System.getenv()), NotifierTopics.defaults(), System::getenv,
                        Clock.systemUTC()),
                n -> String.format("Notifier ready (admin on http://localhost:%d/).", n.adminPort()),
                Notifier::failed);
    }
}
