package io.tlswatch.collector.ingest;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.topic.Topics;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile request bodies at the two report decoders.
 *
 * <p>The property: every body is either accepted (a NEL batch item by item, each item stored or skipped) or
 * refused whole with a {@link Refusal} (the documented parse error, which becomes a 400 naming the field);
 * nothing is thrown; an accepted batch holds no more reports than the batch limit, and every event it yields can
 * be written to the topic by the topic's own serde. Seeds: {@code ReportDecoderFuzzTestInputs/}. {@link #nativeReports} is also fuzzed for a bounded time in
 * {@code mvn verify} (the {@code fuzz} Surefire execution).
 */
class ReportDecoderFuzzTest {

    private static final int MAX_BATCH = 5;
    private static final Received RECEIVED = new Received(Instant.parse("2025-03-14T09:26:53.589Z"), "198.51.100.7",
            new Arrival("https", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "t13d1516h2_8daaf6152771_02713d6af862"),
            "S9kHL8rQ2VhL8x7Ux7rZfQ48GSjMXuzINbqiogGSzC4");

    private final NativeReportDecoder nativeDecoder = new NativeReportDecoder(MAX_BATCH, Plausibility.DEFAULTS, "fuzz");
    private final NelReportDecoder nelDecoder = new NelReportDecoder(MAX_BATCH, Plausibility.DEFAULTS, "fuzz");

    @FuzzTest(maxDuration = "20s")
    void nativeReports(byte[] body) {
        check(nativeDecoder.decode(body, RECEIVED));
    }

    @FuzzTest(maxDuration = "20s")
    void nelReports(byte[] body) {
        check(nelDecoder.decode(body, RECEIVED));
    }

    private static void check(Decoded decoded) {
        assertThat(decoded).isNotNull();
        if (decoded instanceof Decoded.Refused refused) {
            assertThat(refused.refusal()).isNotNull();
            return;
        }
        Decoded.Accepted accepted = (Decoded.Accepted) decoded;
        assertThat(accepted.received()).isLessThanOrEqualTo(MAX_BATCH);
        assertThat(accepted.reports().size() + accepted.skips().size()).isEqualTo(accepted.received());
        for (Candidate candidate : accepted.reports()) {
            ClientReportEvent event = candidate.event();
            assertThat(candidate.dedupKey()).isNotEmpty();
            byte[] written = Topics.CLIENT_REPORTS.valueSerde().serializer()
                    .serialize(Topics.CLIENT_REPORTS.name(), event);
            assertThat(written).isNotEmpty();
        }
    }
}
