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
        subcommands = {KafkaCommand.class, ValidatorCommand.class, LicensesCommand.class, CommandLine.HelpCommand.class},
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run 'tlswatch help COMMAND' for a command's options. Docs: README.md and docs/."})
public final class Tlswatch implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
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
