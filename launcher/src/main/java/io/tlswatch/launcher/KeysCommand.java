package io.tlswatch.launcher;

import io.tlswatch.validator.token.KeyFileEdit;
import io.tlswatch.validator.token.KeyFileEdits;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.SigningKeyException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code tlswatch keys}: creates and rotates the validator's token signing key file (docs/tokens.md). */
@Command(name = "keys",
        mixinStandardHelpOptions = true,
        description = {"Creates and rotates the token signing key file validators share (token.keyFile).",
                "Validators watch the file and take a change in within tls.watch.interval."},
        subcommands = {KeysCommand.Generate.class, KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {

    /** The file cannot be read or written. */
    static final int IO_FAILURE = 1;
    /** The file exists (generate without --force), or its keys do not allow the change. */
    static final int REFUSED = 4;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Writes a new key file with one private signing key (mode 0600) and prints its kid.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The key file to write.")
        Path out;

        @Option(names = "--algorithm", defaultValue = "EdDSA", paramLabel = "ALG",
                description = "EdDSA or ES256 (default: ${DEFAULT-VALUE}).")
        String algorithm;

        @Option(names = "--force", description = "Replace the file if it exists: its keys are lost.")
        boolean force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            SigningAlgorithm chosen;
            try {
                chosen = SigningAlgorithm.parse(algorithm);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--algorithm: " + e.getMessage());
            }
            if (Files.exists(out) && !force) {
                err.println("tlswatch keys: " + out + " exists; it may hold the key validators sign with. "
                        + "Use --force to replace it, or 'tlswatch keys rotate' to rotate it");
                return REFUSED;
            }
            KeyFileEdit edit = KeyFileEdits.generate(chosen);
            try {
                KeyFileWriter.write(out, edit.text());
            } catch (IOException e) {
                err.println("tlswatch keys: cannot write " + out + ": " + e);
                return IO_FAILURE;
            }
            spec.commandLine().getOut().println(edit.kids().get(0));
            return 0;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Rotates the keys in a key file with overlap: stage, promote, then drop retired keys.",
                    "--stage adds a key that is published but does not sign yet; once every replica has reloaded, "
                            + "--promote makes it sign and keeps the old key published; once the old key's tokens "
                            + "have expired, --drop-retired removes it."})
    static final class Rotate implements Callable<Integer> {
        @Option(names = "--file", required = true, paramLabel = "FILE", description = "The key file to change.")
        Path file;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Step step;

        static final class Step {
            @Option(names = "--stage", description = "Add a new key as next: published, not signing.")
            boolean stage;

            @Option(names = "--promote", description = "Sign with the staged key; the old one stays published.")
            boolean promote;

            @Option(names = "--drop-retired", description = "Remove every key that neither signs nor is staged.")
            boolean dropRetired;
        }

        @Option(names = "--algorithm", paramLabel = "ALG",
                description = "With --stage: EdDSA or ES256 (default: the signing key's).")
        String algorithm;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<SigningAlgorithm> chosen;
            try {
                chosen = Optional.ofNullable(algorithm).map(SigningAlgorithm::parse);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--algorithm: " + e.getMessage());
            }
            if (chosen.isPresent() && !step.stage) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--algorithm goes with --stage only");
            }
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8);
                KeyFileEdit edit;
                if (step.stage) {
                    edit = KeyFileEdits.stage(text, chosen, file.toString());
                } else if (step.promote) {
                    edit = KeyFileEdits.promote(text, file.toString());
                } else {
                    edit = KeyFileEdits.dropRetired(text, file.toString());
                }
                KeyFileWriter.write(file, edit.text());
                if (step.stage) {
                    out.printf("Staged key %s: published, not signing. Promote it once every validator has "
                            + "reloaded the file.%n", edit.kids().get(0));
                } else if (step.promote) {
                    out.printf("Promoted key %s: it signs new tokens. Key %s stays published for the tokens it "
                            + "signed.%n", edit.kids().get(0), edit.kids().get(1));
                } else {
                    out.printf("Dropped %d retired key(s)%s%n", edit.kids().size(),
                            edit.kids().isEmpty() ? "." : ": " + String.join(", ", edit.kids()));
                }
                return 0;
            } catch (SigningKeyException e) {
                err.println("tlswatch keys: " + e.getMessage());
                return REFUSED;
            } catch (IOException e) {
                err.println("tlswatch keys: cannot rewrite " + file + ": " + e);
                return IO_FAILURE;
            }
        }
    }
}
