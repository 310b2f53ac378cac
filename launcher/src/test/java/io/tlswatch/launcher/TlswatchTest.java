package io.tlswatch.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TlswatchTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void helpDescribesTheProductAndListsTheKafkaCommand() {
        int code = run("--help");

        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("Usage: tlswatch")
                .contains("outdated TLS")
                .containsPattern("(?m)^\\s+kafka\\s+Runs a development Kafka broker with every tlswatch topic");
    }

    @Test
    void everyCommandsSummaryInTheHelpIsAWholeSentence() {
        for (Map.Entry<String, CommandLine> command : Tlswatch.commandLine().getSubcommands().entrySet()) {
            // The command list shows the header when there is one, else the description's first line.
            CommandLine.Model.UsageMessageSpec usage = command.getValue().getCommandSpec().usageMessage();
            String[] summary = usage.header().length > 0 ? usage.header() : usage.description();

            assertThat(summary).as(command.getKey()).isNotEmpty();
            assertThat(summary[0].strip()).as(command.getKey()).endsWith(".");
        }
    }

    @Test
    void aServiceCommandNamesItselfWhenItsConfigurationIsRefused() {
        int code = run("notifier", "--config", "does-not-exist.properties");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("tlswatch notifier: configuration refused");
    }

    @Test
    void noCommandPrintsTheUsageInsteadOfDoingSomething() {
        int code = run();

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: tlswatch").contains("Commands:");
    }

    @Test
    void kafkaHelpNamesItsOptionsAndDefaults() {
        int code = run("kafka", "--help");

        assertThat(code).isZero();
        assertThat(out.toString())
                .contains("--port")
                .contains("default: 9092")
                .contains("--data-dir=DIR")
                .contains("--partitions");
    }

    @Test
    void unknownCommandIsAUsageErrorWithExitCodeTwo() {
        int code = run("frobnicate");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("frobnicate");
    }

    @Test
    void negativePartitionsAreRefusedBeforeAnythingStarts() {
        int code = run("kafka", "--partitions", "-1");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--partitions must be 0 or more");
        assertThat(out.toString()).doesNotContain("Starting Kafka");
    }

    @Test
    void versionNamesKafkaAndJava() {
        int code = run("--version");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("tlswatch").contains("Kafka client 4.").contains("Java ");
    }

    @Test
    void notifierHelpNamesItsConfigOptionAndDocs() {
        int code = run("notifier", "--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("--config=FILE").contains("docs/alerting.md").contains("9404");
    }
}
