package io.tlswatch.client;

import io.tlswatch.client.token.VerifiedToken;
import io.tlswatch.contract.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EntitlementTrackerTest {

    private static final Instant ISSUED = Instant.parse("2026-03-14T09:00:00Z");
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final Duration GRACE = Duration.ofHours(72);

    private final MutableClock clock = new MutableClock(ISSUED);
    private final EntitlementTracker tracker = new EntitlementTracker();

    @Test
    void nothingKnownIsUnverifiedNotInvalid() {
        LicenseStatus status = tracker.status(clock.instant());

        assertThat(status.state()).isEqualTo(LicenseState.UNVERIFIED);
        assertThat(status.usable()).isFalse();
        assertThat(status.code()).isEmpty();
        assertThat(status.timeLeft()).isZero();
    }

    @Test
    void aValidAnswerIsValidUntilTheTokenExpires() {
        tracker.valid(token(), GRACE, "the license is valid", clock.instant());

        clock.advance(LIFETIME.minusSeconds(1));
        LicenseStatus status = tracker.status(clock.instant());

        assertThat(status.state()).isEqualTo(LicenseState.VALID);
        assertThat(status.code()).contains("VALID");
        assertThat(status.entitlements()).containsExactly("reporting");
        assertThat(status.token()).contains("header.payload.signature");
        assertThat(status.timeLeft()).isEqualTo(GRACE.plusSeconds(1));
    }

    @Test
    void anExpiredTokenWithoutAnAnswerIsGraceWithTheTimeLeft() {
        tracker.valid(token(), GRACE, "the license is valid", clock.instant());
        clock.advance(LIFETIME);
        tracker.failed("tls.version_or_cipher_mismatch", "No appropriate protocol", clock.instant());

        clock.advance(Duration.ofHours(70));
        LicenseStatus status = tracker.status(clock.instant());

        assertThat(status.state()).isEqualTo(LicenseState.GRACE);
        assertThat(status.usable()).isTrue();
        assertThat(status.timeLeft()).isEqualTo(Duration.ofHours(2));
        assertThat(status.token()).as("an expired token is not handed out").isEmpty();
        assertThat(status.entitlements()).containsExactly("reporting");
        assertThat(status.lastFailure()).hasValueSatisfying(failure ->
                assertThat(failure.errorClass()).isEqualTo("tls.version_or_cipher_mismatch"));
    }

    @Test
    void whenTheGraceRunsOutItIsUnverifiedNotInvalid() {
        tracker.valid(token(), GRACE, "the license is valid", clock.instant());

        clock.advance(LIFETIME.plus(GRACE));
        LicenseStatus status = tracker.status(clock.instant());

        assertThat(status.state()).isEqualTo(LicenseState.UNVERIFIED);
        assertThat(status.entitlements()).isEmpty();
        assertThat(status.timeLeft()).isZero();
    }

    @Test
    void anInvalidAnswerEndsTheEntitlementAtOnceWithTheServersCode() {
        tracker.valid(token(), GRACE, "the license is valid", clock.instant());
        clock.advance(Duration.ofMinutes(5));

        tracker.invalid("REVOKED", "the license has been revoked", "lic-1", clock.instant());
        LicenseStatus status = tracker.status(clock.instant());

        assertThat(status.state()).isEqualTo(LicenseState.INVALID);
        assertThat(status.code()).contains("REVOKED");
        assertThat(status.detail()).contains("the license has been revoked");
        assertThat(status.usable()).isFalse();
        assertThat(status.token()).isEmpty();
    }

    @Test
    void aFailureAfterAnInvalidAnswerKeepsItInvalid() {
        tracker.invalid("SUSPENDED", "the license is suspended", "lic-1", clock.instant());

        tracker.failed("tcp.timed_out", "Read timed out", clock.instant());

        assertThat(tracker.status(clock.instant()).state()).isEqualTo(LicenseState.INVALID);
    }

    @Test
    void aValidAnswerAfterAnInvalidOneRestoresIt() {
        tracker.invalid("SUSPENDED", "the license is suspended", "lic-1", clock.instant());
        clock.advance(Duration.ofMinutes(1));

        tracker.valid(token(clock.instant()), GRACE, "the license is valid", clock.instant());

        assertThat(tracker.status(clock.instant()).state()).isEqualTo(LicenseState.VALID);
    }

    @Test
    void aFailureNeverShortensAValidToken() {
        tracker.valid(token(), GRACE, "the license is valid", clock.instant());
        clock.advance(Duration.ofMinutes(1));

        tracker.failed("tls.cert.authority_invalid", "PKIX path building failed", clock.instant());

        assertThat(tracker.status(clock.instant()).state()).isEqualTo(LicenseState.VALID);
    }

    @Test
    void aTakenHeartbeatDescribesTheMachineAndClearsTheLastFailureWithoutTouchingTheEntitlement() {
        tracker.valid(token(), GRACE, "the license is valid", clock.instant());
        tracker.failed("tcp.timed_out", "Read timed out", clock.instant());
        Machine machine = new Machine("inst-1", "active", ISSUED, clock.instant(), true, Duration.ofMinutes(10),
                clock.instant().plus(Duration.ofMinutes(10)));

        tracker.heartbeat(machine);
        LicenseStatus status = tracker.status(clock.instant());

        assertThat(status.machine()).contains(machine);
        assertThat(status.lastFailure()).isEmpty();
        assertThat(status.state()).isEqualTo(LicenseState.VALID);
        assertThat(status.token()).contains("header.payload.signature");
    }

    @Test
    void noMachineIsAnInvalidAnswerThatAsksForActivation() {
        tracker.invalid("NO_MACHINE", "this machine is not activated for the license", "lic-1", clock.instant());

        LicenseStatus status = tracker.status(clock.instant());

        assertThat(status.state()).isEqualTo(LicenseState.INVALID);
        assertThat(status.activationRequired()).isTrue();
        assertThat(status.usable()).isFalse();
    }

    @Test
    void otherInvalidAnswersDoNotAskForActivation() {
        tracker.invalid("TOO_MANY_MACHINES", "the license is in use on as many machines as it allows", "lic-1",
                clock.instant());

        assertThat(tracker.status(clock.instant()).activationRequired()).isFalse();
    }

    private VerifiedToken token() {
        return token(ISSUED);
    }

    private static VerifiedToken token(Instant issued) {
        return new VerifiedToken("header.payload.signature", "kid-1", "lic-1", "inst-1", List.of("reporting"),
                issued, issued.plus(LIFETIME));
    }
}
