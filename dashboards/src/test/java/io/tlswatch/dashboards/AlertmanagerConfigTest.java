package io.tlswatch.dashboards;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The example Alertmanager configuration, checked by amtool ({@code prometheus-alertmanager}, installed by .ci/run). */
class AlertmanagerConfigTest {

    @Test
    void amtoolAcceptsTheExample() throws Exception {
        var amtool = Tool.find("amtool");
        assumeThat(amtool).as("amtool is installed (apt-get install prometheus-alertmanager)").isPresent();

        Tool.Run run = amtool.orElseThrow().run("check-config", "alertmanager/alertmanager.yml");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS").contains("2 receivers");
    }

    @Test
    void theExampleRoutesCriticalAlertsToPagerDutyAndReadsSecretsFromFiles() throws Exception {
        String config = Files.readString(Modules.dir().resolve("alertmanager/alertmanager.yml"));

        assertThat(config).contains("pagerduty_configs:", "slack_configs:", "matchers: ['severity=\"critical\"']",
                "routing_key_file:", "api_url_file:");
        assertThat(config).doesNotContain("routing_key:").doesNotContain("api_url:");
    }
}
