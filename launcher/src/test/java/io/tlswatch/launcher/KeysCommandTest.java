package io.tlswatch.launcher;

import io.tlswatch.validator.token.KeyFileContents;
import io.tlswatch.validator.token.SigningAlgorithm;
import io.tlswatch.validator.token.SigningKey;
import io.tlswatch.validator.token.SigningKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class KeysCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Tlswatch.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void generateWritesAKeyFileOnlyItsOwnerCanReadAndPrintsTheKid(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("signing-keys.jwks");

        // when
        int code = run("keys", "generate", "--out", file.toString());

        // then
        assertThat(code).isZero();
        KeyFileContents contents = SigningKeyFile.read(file);
        assertThat(out.toString().strip()).isEqualTo(contents.current().kid());
        assertThat(contents.current().algorithm()).isEqualTo(SigningAlgorithm.EDDSA);
        assertThat(contents.current().canSign()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void generateMakesAnEs256KeyWhenAsked(@TempDir Path dir) {
        // given
        Path file = dir.resolve("signing-keys.jwks");

        // when
        int code = run("keys", "generate", "--out", file.toString(), "--algorithm", "es256");

        // then
        assertThat(code).isZero();
        assertThat(SigningKeyFile.read(file).current().algorithm()).isEqualTo(SigningAlgorithm.ES256);
    }

    @Test
    void generateRefusesToReplaceAFileUnlessForced(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("signing-keys.jwks");
        run("keys", "generate", "--out", file.toString());
        String before = Files.readString(file, StandardCharsets.UTF_8);

        // when
        int refused = run("keys", "generate", "--out", file.toString());

        // then
        assertThat(refused).isEqualTo(KeysCommand.REFUSED);
        assertThat(err.toString()).contains(file + " exists").contains("--force");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(before);

        // when
        int forced = run("keys", "generate", "--out", file.toString(), "--force");

        // then
        assertThat(forced).isZero();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isNotEqualTo(before);
    }

    @Test
    void anUnknownAlgorithmIsAUsageError(@TempDir Path dir) {
        // when
        int code = run("keys", "generate", "--out", dir.resolve("k.jwks").toString(), "--algorithm", "RS256");

        // then
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("EdDSA or ES256");
        assertThat(dir.resolve("k.jwks")).doesNotExist();
    }

    @Test
    void stageThenPromoteRotatesWithTheOldKeyStillPublished(@TempDir Path dir) {
        // given
        Path file = dir.resolve("signing-keys.jwks");
        run("keys", "generate", "--out", file.toString());
        String oldKid = SigningKeyFile.read(file).current().kid();

        // when
        int staged = run("keys", "rotate", "--file", file.toString(), "--stage");

        // then
        assertThat(staged).isZero();
        KeyFileContents afterStage = SigningKeyFile.read(file);
        String newKid = afterStage.next().orElseThrow().kid();
        assertThat(afterStage.current().kid()).isEqualTo(oldKid);
        assertThat(out.toString()).contains("Staged key " + newKid);

        // when
        int promoted = run("keys", "rotate", "--file", file.toString(), "--promote");

        // then
        assertThat(promoted).isZero();
        KeyFileContents afterPromote = SigningKeyFile.read(file);
        assertThat(afterPromote.current().kid()).isEqualTo(newKid);
        assertThat(afterPromote.next()).isEmpty();
        assertThat(afterPromote.retired()).extracting(SigningKey::kid).containsExactly(oldKid);
        assertThat(out.toString()).contains("Promoted key " + newKid).contains("Key " + oldKid + " stays published");
    }

    @Test
    void dropRetiredRemovesTheOldKeyOnceItsTokensHaveExpired(@TempDir Path dir) {
        // given
        Path file = dir.resolve("signing-keys.jwks");
        run("keys", "generate", "--out", file.toString());
        String oldKid = SigningKeyFile.read(file).current().kid();
        run("keys", "rotate", "--file", file.toString(), "--stage");
        run("keys", "rotate", "--file", file.toString(), "--promote");

        // when
        int code = run("keys", "rotate", "--file", file.toString(), "--drop-retired");

        // then
        assertThat(code).isZero();
        assertThat(SigningKeyFile.read(file).retired()).isEmpty();
        assertThat(out.toString()).contains("Dropped 1 retired key(s): " + oldKid);
    }

    @Test
    void promotingWithNothingStagedIsRefusedAndLeavesTheFile(@TempDir Path dir) throws Exception {
        // given
        Path file = dir.resolve("signing-keys.jwks");
        run("keys", "generate", "--out", file.toString());
        String before = Files.readString(file, StandardCharsets.UTF_8);

        // when
        int code = run("keys", "rotate", "--file", file.toString(), "--promote");

        // then
        assertThat(code).isEqualTo(KeysCommand.REFUSED);
        assertThat(err.toString()).contains("stages no key");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(before);
    }

    @Test
    void rotateNeedsExactlyOneStepAndAnAlgorithmOnlyWithStage(@TempDir Path dir) {
        // given
        Path file = dir.resolve("signing-keys.jwks");
        run("keys", "generate", "--out", file.toString());

        // when / then
        assertThat(run("keys", "rotate", "--file", file.toString())).isEqualTo(2);
        assertThat(run("keys", "rotate", "--file", file.toString(), "--stage", "--promote")).isEqualTo(2);
        assertThat(run("keys", "rotate", "--file", file.toString(), "--promote", "--algorithm", "ES256"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--algorithm goes with --stage only");
    }

    @Test
    void aMissingFileCannotBeRotated(@TempDir Path dir) {
        // when
        int code = run("keys", "rotate", "--file", dir.resolve("absent.jwks").toString(), "--stage");

        // then
        assertThat(code).isEqualTo(KeysCommand.IO_FAILURE);
        assertThat(err.toString()).contains("absent.jwks");
    }

    @Test
    void rotatingThroughASymbolicLinkReplacesTheFileItLeadsToAndKeepsTheLink(@TempDir Path dir) throws Exception {
        // given: a link as a mounted secret or a configuration tool makes
        Path real = dir.resolve("real.jwks");
        Path link = dir.resolve("signing-keys.jwks");
        run("keys", "generate", "--out", real.toString());
        Files.createSymbolicLink(link, real);

        // when
        int code = run("keys", "rotate", "--file", link.toString(), "--stage");

        // then
        assertThat(code).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(SigningKeyFile.read(real).next()).isPresent();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(real))).isEqualTo("rw-------");
    }
}
