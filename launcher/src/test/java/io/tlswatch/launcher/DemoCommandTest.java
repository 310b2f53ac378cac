package io.tlswatch.launcher;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tlswatch demo}'s options that are refused before anything starts. */
class DemoCommandTest {

    @Test
    void aTopicsPrefixKafkaCouldNotNameIsRefusedWithExitTwoNamingTheOption() {
        // given
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        // when
        int code = cli.execute("demo", "--topics-prefix", "acme/", "--duration", "1s");

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--topics-prefix").contains("topics.prefix may hold only");
        assertThat(out.toString()).doesNotContain("logs go to");
    }
}
