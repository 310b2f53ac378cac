package io.tlswatch.contract.topic;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeletionTest {

    @Test
    void theOperatorAndReasonSurviveTheTripThroughRecordHeaders() {
        // given a deletion by an operator, with a reason that is not ASCII
        Deletion deletion = new Deletion("release-bot", "retired — replaced by Floating 6");

        // when its headers are read back
        RecordHeaders headers = new RecordHeaders(deletion.headers());

        // then the same deletion comes out
        assertThat(Deletion.from(headers)).contains(deletion);
    }

    @Test
    void aTombstoneWithoutAnOperatorHeaderRecordsNoDeletion() {
        // given a tombstone written by other means (no headers)
        RecordHeaders headers = new RecordHeaders();

        // then no operator is claimed for it
        assertThat(Deletion.from(headers)).isEmpty();
    }

    @Test
    void anAbsentReasonIsLeftOutOfTheHeaders() {
        // given a deletion without a reason
        Deletion deletion = new Deletion("ops", null);

        // then only the operator header is written, and it reads back without a reason
        assertThat(deletion.headers()).extracting(h -> h.key()).containsExactly(Deletion.OPERATOR_HEADER);
        assertThat(Deletion.from(new RecordHeaders(deletion.headers()))).contains(deletion);
    }
}
