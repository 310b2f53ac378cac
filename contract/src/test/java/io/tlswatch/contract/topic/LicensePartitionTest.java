package io.tlswatch.contract.topic;

import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class LicensePartitionTest {

    @Test
    void aLicensesRowsGoWhereTheDefaultPartitionerPutsItsLicenseId() {
        for (String licenseId : new String[]{"lic-0042", "lic-7f3a9c", "a", "Lizenz-Ä"}) {
            assertThat(LicensePartition.of(licenseId, 6)).isEqualTo(
                    BuiltInPartitioner.partitionForKey(licenseId.getBytes(StandardCharsets.UTF_8), 6));
        }
    }
}
