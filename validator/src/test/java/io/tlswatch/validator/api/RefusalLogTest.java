package io.tlswatch.validator.api;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.contract.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalLogTest {

    private static final Duration IAT_WINDOW = Duration.ofSeconds(60);

    private final MutableClock clock = MutableClock.at("2026-03-14T09:00:00Z");
    private final Logger logger = (Logger) LoggerFactory.getLogger(RefusalLog.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    private List<String> lines() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static LicenseCheckEvent refused(String clientId, LicenseCheckCode code, String refusal, Long offset) {
        return LicenseCheckEvent.builder().time(Instant.parse("2026-03-14T09:00:00Z")).source("validator@t")
                .clientId(clientId).licenseId("lic-1").code(code).proof(ProofKind.DPOP).proofClockOffset(offset)
                .refusal(refusal).connection("203.0.113.7", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build();
    }

    private static LicenseCheckEvent clockAhead(String clientId) {
        return refused(clientId, LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", 7_200L);
    }

    @Test
    void aClockSkewRefusalIsLoggedWithItsOffsetAndTheWindow() {
        // given
        RefusalLog refusals = new RefusalLog(IAT_WINDOW, clock);

        // when
        refusals.record(clockAhead("inst-9d4e6a13"));

        // then
        assertThat(appender.list).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).isEqualTo("client inst-9d4e6a13 refused: clock_skew +7200 s "
                    + "(window ±60 s) from 203.0.113.7; not logged again for this client and cause for 10 min");
            assertThat(line.getThrowableProxy()).isNull();
        });
    }

    @Test
    void aClientBehindIsLoggedWithANegativeOffset() {
        RefusalLog refusals = new RefusalLog(IAT_WINDOW, clock);

        refusals.record(refused("inst-1", LicenseCheckCode.PROOF_INVALID, "iat_out_of_window", -3_600L));

        assertThat(lines()).singleElement().asString().contains("clock_skew -3600 s (window ±60 s)");
    }

    @Test
    void otherRefusalsAreLoggedWithTheirReasonAndCode() {
        RefusalLog refusals = new RefusalLog(IAT_WINDOW, clock);

        refusals.record(refused("inst-1", LicenseCheckCode.SUSPENDED, "suspended", 2L));
        refusals.record(refused("inst-2", LicenseCheckCode.PROOF_INVALID, "bad_signature", null));

        assertThat(lines()).containsExactly(
                "client inst-1 refused: suspended (SUSPENDED, proof clock offset +2 s) from 203.0.113.7; not logged "
                        + "again for this client and cause for 10 min",
                "client inst-2 refused: bad_signature (PROOF_INVALID) from 203.0.113.7; not logged again for this "
                        + "client and cause for 10 min");
    }

    @Test
    void aClientRefusedAgainForTheSameCauseIsLoggedOncePerWindow() {
        // given a client whose clock is ahead, retrying every 30 s
        RefusalLog refusals = new RefusalLog(IAT_WINDOW, clock);

        // when it is refused for 20 minutes
        for (int i = 0; i < 40; i++) {
            refusals.record(clockAhead("inst-1"));
            clock.advance(Duration.ofSeconds(30));
        }

        // then one line per 10 minutes
        assertThat(lines()).hasSize(2);
    }

    @Test
    void anotherCauseOrAnotherClientIsLoggedAtOnce() {
        RefusalLog refusals = new RefusalLog(IAT_WINDOW, clock);

        refusals.record(clockAhead("inst-1"));
        refusals.record(clockAhead("inst-1"));
        refusals.record(refused("inst-1", LicenseCheckCode.PROOF_INVALID, "replayed", 0L));
        refusals.record(clockAhead("inst-2"));

        assertThat(lines()).hasSize(3);
    }

    @Test
    void aValidCheckIsNotLogged() {
        RefusalLog refusals = new RefusalLog(IAT_WINDOW, clock);

        refusals.record(LicenseCheckEvent.builder().time(clock.instant()).source("validator@t").clientId("inst-1")
                .licenseId("lic-1").code(LicenseCheckCode.VALID).dpopVerified(null).proofClockOffset(0L)
                .connection("203.0.113.7", "TLSv1.3", "TLS_AES_128_GCM_SHA256", null).build());

        assertThat(appender.list).isEmpty();
    }

    @Test
    void aFloodOfClientIdsIsLoggedUpToTheCapacityThenSaidOnce() {
        // given a log that remembers three (client, cause) pairs
        RefusalLog refusals = new RefusalLog(IAT_WINDOW, clock, Duration.ofMinutes(10), 3);

        // when a thousand made-up client ids are refused
        for (int i = 0; i < 1_000; i++) {
            refusals.record(clockAhead("inst-" + i));
        }

        // then three lines, and one warning that further ones are not logged
        assertThat(appender.list).hasSize(4);
        assertThat(appender.list.get(3).getLevel()).isEqualTo(Level.WARN);
        assertThat(appender.list.get(3).getFormattedMessage())
                .startsWith("Refusal log is full (3 client/cause pairs logged within the last 10 min)");
    }
}
