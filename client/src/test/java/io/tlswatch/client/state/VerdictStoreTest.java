package io.tlswatch.client.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictStoreTest {

    private static final Instant AT = Instant.parse("2026-03-14T09:00:00.123Z");

    @TempDir
    Path directory;

    @Test
    void aValidVerdictComesBackWithItsTokenGraceAndKeys() throws Exception {
        VerdictStore store = new VerdictStore(directory, new ObjectMapper(), "https://l.example", "TLSW-KEY");
        store.save(StoredVerdict.valid("ok", "lic-1", AT, "a.b.c", Duration.ofHours(72), "{\"keys\":[]}"));

        StoredVerdict back = new VerdictStore(directory, new ObjectMapper(), "https://l.example", "TLSW-KEY")
                .load().orElseThrow();

        assertThat(back.valid()).isTrue();
        assertThat(back.token()).isEqualTo("a.b.c");
        assertThat(back.grace()).isEqualTo(Duration.ofHours(72));
        assertThat(back.answeredAt()).isEqualTo(AT);
        assertThat(back.jwks()).isEqualTo("{\"keys\":[]}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file()))).isEqualTo("rw-------");
    }

    @Test
    void anInvalidVerdictKeepsTheServersCode() throws Exception {
        VerdictStore store = new VerdictStore(directory, new ObjectMapper(), "https://l.example", "TLSW-KEY");
        store.save(StoredVerdict.invalid("REVOKED", "revoked", "lic-1", AT));

        StoredVerdict back = store.load().orElseThrow();

        assertThat(back.valid()).isFalse();
        assertThat(back.code()).isEqualTo("REVOKED");
    }

    @Test
    void anotherLicenseKeyDoesNotInheritTheEntitlement() throws Exception {
        new VerdictStore(directory, new ObjectMapper(), "https://l.example", "TLSW-KEY")
                .save(StoredVerdict.valid("ok", "lic-1", AT, "a.b.c", Duration.ofHours(72), null));

        assertThat(new VerdictStore(directory, new ObjectMapper(), "https://l.example", "TLSW-OTHER").load()).isEmpty();
        assertThat(new VerdictStore(directory, new ObjectMapper(), "https://m.example", "TLSW-KEY").load()).isEmpty();
    }

    @Test
    void theLicenseKeyItselfIsNotWritten() throws Exception {
        VerdictStore store = new VerdictStore(directory, new ObjectMapper(), "https://l.example", "TLSW-SECRET-KEY");
        store.save(StoredVerdict.valid("ok", "lic-1", AT, "a.b.c", Duration.ofHours(72), null));

        assertThat(Files.readString(store.file())).doesNotContain("TLSW-SECRET-KEY");
    }

    @Test
    void aDamagedFileIsIgnored() throws Exception {
        VerdictStore store = new VerdictStore(directory, new ObjectMapper(), "https://l.example", "TLSW-KEY");
        Files.writeString(store.file(), "{not json");

        assertThat(store.load()).isEmpty();
    }
}
