package io.tlswatch.validator.license;

import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LicenseTableTest {

    private final LicenseTable table = new LicenseTable();

    private static LicenseRecord.Builder license(String id, String key) {
        return LicenseRecord.builder()
                .time(Instant.parse("2025-01-02T00:00:00Z"))
                .source("test@here")
                .licenseId(id)
                .customer("Acme")
                .plan("basic")
                .notBefore(Instant.parse("2025-01-01T00:00:00Z"))
                .licenseKey(key);
    }

    @Test
    void aLicenseIsFoundByIdAndByKey() {
        // given a license
        LicenseRecord license = license("lic-1", "TLSW-ONE").build();

        // when it is put
        table.put(license);

        // then it is found both ways
        assertThat(table.byId("lic-1")).contains(license);
        assertThat(table.byKey("TLSW-ONE")).contains(license);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void aNewerRowReplacesTheOlderOne() {
        // given a license
        table.put(license("lic-1", "TLSW-ONE").build());

        // when a newer row of it arrives
        LicenseRecord revoked = license("lic-1", "TLSW-ONE").status(LicenseRecordStatus.REVOKED).build();
        table.put(revoked);

        // then lookups see the newer row
        assertThat(table.byKey("TLSW-ONE")).contains(revoked);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void aRowWithANewKeyRetiresTheOldKey() {
        // given a license
        table.put(license("lic-1", "TLSW-OLD").build());

        // when its key is replaced
        table.put(license("lic-1", "TLSW-NEW").build());

        // then only the new key finds it
        assertThat(table.byKey("TLSW-OLD")).isEmpty();
        assertThat(table.byKey("TLSW-NEW")).isPresent();
    }

    @Test
    void aDeletionRemovesTheLicenseAndItsKey() {
        // given two licenses
        table.put(license("lic-1", "TLSW-ONE").build());
        table.put(license("lic-2", "TLSW-TWO").build());

        // when one is deleted
        boolean removed = table.remove("lic-1");

        // then it is gone by id and key, the other stays
        assertThat(removed).isTrue();
        assertThat(table.byId("lic-1")).isEmpty();
        assertThat(table.byKey("TLSW-ONE")).isEmpty();
        assertThat(table.byKey("TLSW-TWO")).isPresent();
        assertThat(table.remove("lic-1")).isFalse();
    }

    @Test
    void deletingALicenseDoesNotTakeAKeyThatAnotherLicenseHolds() {
        // given two licenses written with the same key, the later holding it
        table.put(license("lic-1", "TLSW-SAME").build());
        table.put(license("lic-2", "TLSW-SAME").build());

        // when the earlier is deleted
        table.remove("lic-1");

        // then the key still finds the later one
        assertThat(table.byKey("TLSW-SAME").map(LicenseRecord::licenseId)).contains("lic-2");
    }

    @Test
    void allListsEveryLicenseByItsId() {
        table.put(license("lic-b", "TLSW-B").build());
        table.put(license("lic-a", "TLSW-A").build());
        assertThat(table.all()).extracting(LicenseRecord::licenseId).containsExactly("lic-a", "lic-b");
    }
}
