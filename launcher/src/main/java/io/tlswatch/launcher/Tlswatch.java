package io.tlswatch.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tlswatch} command: one subcommand per thing a user runs. */
@Command(name = "tlswatch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
                "License validation with TLS posture monitoring: finds the clients stuck on outdated TLS stacks "
                        + "before their licenses silently stop working.",
                ""},
        subcommands = {DemoCommand.class, KafkaCommand.class, ValidatorCommand.class, CollectorCommand.class,
                StreamsCommand.class, NotifierCommand.class, LicensesCommand.class, AdminTokensCommand.class,
                TopicsCommand.class, KeysCommand.class, FleetCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'tlswatch help COMMAND' for a command's options. Docs: README.md and docs/."})
public final class Tlswatch implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Before any TLS is set up: the JDK provider otherwise accepts client-initiated renegotiation on TLS 1.2,
        // a full handshake per request that no connection limit or handshake event sees (docs/security.md).
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Tlswatch()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        // No subcommand: show what there is rather than doing something surprising.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
