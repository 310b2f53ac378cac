package io.tlswatch.client.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstallationStoreTest {

    @TempDir
    Path directory;

    @Test
    void createsAnOwnerOnlyIdentityOnFirstUse() throws Exception {
        Path state = directory.resolve("state");

        Installation installation = new InstallationStore(state, new ObjectMapper()).loadOrCreate();

        assertThat(installation.clientId()).matches("inst-[0-9a-f-]{36}");
        assertThat(installation.key().getCurve().getName()).isEqualTo("P-256");
        assertThat(installation.thumbprint()).hasSize(43);
        Path file = state.resolve(InstallationStore.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    }

    @Test
    void theSameIdentityComesBackOnEveryStart() throws Exception {
        Installation first = new InstallationStore(directory, new ObjectMapper()).loadOrCreate();

        Installation again = new InstallationStore(directory, new ObjectMapper()).loadOrCreate();

        assertThat(again.clientId()).isEqualTo(first.clientId());
        assertThat(again.thumbprint()).isEqualTo(first.thumbprint());
    }

    @Test
    void aFileCopiedInWithWiderAccessIsNarrowedWhenRead() throws Exception {
        new InstallationStore(directory, new ObjectMapper()).loadOrCreate();
        Path file = directory.resolve(InstallationStore.FILE_NAME);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        new InstallationStore(directory, new ObjectMapper()).loadOrCreate();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aDamagedFileIsAnErrorNotASilentNewMachine() throws Exception {
        Files.writeString(directory.resolve(InstallationStore.FILE_NAME), "{\"clientId\": \"inst-1\"}");

        assertThatThrownBy(() -> new InstallationStore(directory, new ObjectMapper()).loadOrCreate())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("installation.json is not an installation file");
    }
}
