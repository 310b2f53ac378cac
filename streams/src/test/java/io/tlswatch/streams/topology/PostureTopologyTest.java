package io.tlswatch.streams.topology;

import io.micrometer.core.instrument.Counter;
import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.AlertStatus;
import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.contract.event.ClientPosture;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.Posture;
import io.tlswatch.contract.event.Severity;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.streams.attribution.AddressSignal;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.streams.license.LicenseSharingRules;
import io.tlswatch.streams.names.Names;
import io.tlswatch.streams.posture.AlertCause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.tlswatch.streams.TestEvents.JAVA7_JA4;
import static io.tlswatch.streams.TestEvents.MODERN_JA4;
import static io.tlswatch.streams.TestEvents.TLS12_JA4;
import static io.tlswatch.streams.TestEvents.failure;
import static io.tlswatch.streams.TestEvents.legacyReport;
import static io.tlswatch.streams.TestEvents.minutes;
import static io.tlswatch.streams.TestEvents.nelReport;
import static io.tlswatch.streams.TestEvents.outdatedFailure;
import static io.tlswatch.streams.TestEvents.report;
import static io.tlswatch.streams.TestEvents.success;
import static io.tlswatch.streams.TestEvents.tls12Check;
import static io.tlswatch.streams.TestEvents.validCheck;
import static org.assertj.core.api.Assertions.assertThat;

class PostureTopologyTest {

    private static final String ADDRESS = "198.51.100.7";
    private static final String CLIENT = "client-a";

    private PostureDriver driver;

    private PostureDriver driver(String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", "unused:9092",
                "alerts.minHold", "0s",
                "posture.rowRefresh", "0s",
                "fingerprints.alertMinClients", "3"));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        driver = new PostureDriver(PostureJobConfig.from(ConfigSource.of(values)));
        return driver;
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** No cipher suite in common with a TLS 1.2 stack: a mismatch, but not an outdated version on its own. */
    private static HandshakeEvent cipherFailure(String address, java.time.Instant time) {
        return failure(address, time, FailureReason.NO_SHARED_CIPHER, "TLSv1.2", TLS12_JA4);
    }

    /**
     * A client that checked in from ADDRESS over TLS 1.2 and then failed three times for no shared cipher with the
     * same ClientHello (the server's policy moved on): stuck at the third.
     */
    private void makeStuck(PostureDriver d, String clientId, String address, long fromMinute) {
        d.send(tls12Check(clientId, address, minutes(fromMinute)),
                cipherFailure(address, minutes(fromMinute + 1)),
                cipherFailure(address, minutes(fromMinute + 2)),
                cipherFailure(address, minutes(fromMinute + 3)));
    }

    @Test
    void aClientThatChecksInOverModernTlsIsHealthyInTheTopicAndTheStore() {
        PostureDriver d = driver();

        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        List<ClientPosture> rows = d.postureRows();
        assertThat(rows).hasSize(1);
        ClientPosture row = rows.get(0);
        assertThat(row.clientId()).isEqualTo(CLIENT);
        assertThat(row.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(row.highestNegotiatedVersion()).isEqualTo("TLSv1.3");
        assertThat(row.ja4s()).containsExactly(MODERN_JA4);
        assertThat(row.addresses()).containsExactly(ADDRESS);
        assertThat(row.lastValidCheck()).isEqualTo(minutes(0));
        assertThat(row.entitlementExpiresAt()).isEqualTo(minutes(15));
        assertThat(d.posture(CLIENT)).isEqualTo(row);
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void repeatedVersionFailuresFromTheClientsAddressMakeItStuckAndFireOneAlert() {
        PostureDriver d = driver();

        makeStuck(d, CLIENT, ADDRESS, 0);

        List<AlertEvent> alerts = d.alerts();
        assertThat(alerts).hasSize(1);
        AlertEvent alert = alerts.get(0);
        assertThat(alert.dedupKey()).isEqualTo("tls-outdated:" + CLIENT);
        assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(alert.severity()).isEqualTo(Severity.WARNING);
        assertThat(alert.posture()).isEqualTo(Posture.STUCK);
        assertThat(alert.previousPosture()).isEqualTo(Posture.HEALTHY);
        assertThat(alert.startsAt()).isEqualTo(minutes(3));
        assertThat(alert.summary()).contains(CLIENT).contains("cannot complete a modern TLS handshake")
                .contains("offers at most TLSv1.2").contains("3 failed handshakes");
        assertThat(alert.evidence().failuresByReason()).containsEntry("no_shared_cipher", 3L);
        assertThat(alert.evidence().ja4s()).contains(TLS12_JA4);
        assertThat(alert.evidence().lastErrors()).isNotEmpty();
        assertThat(alert.evidence().runtime()).isEqualTo(io.tlswatch.streams.TestEvents.JAVA21);
        assertThat(alert.evidence().entitlementExpiresAt()).isEqualTo(minutes(15));
        // its check and its failures share one fingerprint (a failure goes to a client only if it was seen with
        // the failure's JA4), so the cause is that fingerprint
        assertThat(alert.evidence().ja4s()).containsExactly(TLS12_JA4);
        assertThat(alert.evidence().cause()).isEqualTo(AlertCause.JA4_PREFIX + TLS12_JA4);
        ClientPosture row = d.posture(CLIENT);
        assertThat(row.posture()).isEqualTo(Posture.STUCK);
        assertThat(row.reasons()).containsExactly("version_or_cipher_mismatch:3");
        assertThat(row.highestOfferedVersion()).isEqualTo("TLSv1.2");
        assertThat(row.firstHandEvidence()).isEqualTo(1);
        assertThat(row.attributedEvidence()).isEqualTo(3);
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "attributed")).isEqualTo(3);
        assertThat(d.counter("tlswatch.streams.alerts", "status", "firing", "severity", "warning")).isEqualTo(1);
    }

    @Test
    void oneClientHelloOfferingNothingAboveTls11OnTheClientsOwnConnectionMakesItStuck() {
        PostureDriver d = driver();
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        // its report, over the collector's TLS listener with a ClientHello offering only TLS 1.0
        d.send(report(CLIENT, ADDRESS, minutes(1), "tls.version_or_cipher_mismatch")
                .arrival(new Arrival(HandshakeEvent.LISTENER_COLLECTOR, "TLSv1", "TLS_RSA_WITH_AES_128_CBC_SHA",
                        JAVA7_JA4)).build());

        assertThat(d.posture(CLIENT).reasons()).containsExactly("version_or_cipher_mismatch:1", "offers_only:TLSv1");
        assertThat(d.alerts()).singleElement().satisfies(a -> assertThat(a.summary()).contains("offers at most TLSv1 "));
    }

    @Test
    void oneOutdatedOfferFromAModernClientsAddressByAnotherFingerprintDoesNotConvictIt() {
        PostureDriver d = driver();
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        // a TLS 1.0-only neighbour behind the same address, never seen there itself
        d.send(outdatedFailure(ADDRESS, minutes(1)));

        // a fingerprint it was never seen with: ambiguous, not its (held for a later lesson)
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);
        assertThat(d.posture(CLIENT).failuresByReason()).isEmpty();
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "ambiguous")).isEqualTo(1);
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void aStuckClientWhoseEntitlementRunsOutWithinTheHorizonEscalatesToAtRiskUnderTheSameKey() {
        PostureDriver d = driver("posture.atRiskHorizon", "48h");
        d.send(tls12Check(CLIENT, ADDRESS, minutes(0), Duration.ofMinutes(15), Duration.ofHours(60)));
        d.send(cipherFailure(ADDRESS, minutes(1)), cipherFailure(ADDRESS, minutes(2)),
                cipherFailure(ADDRESS, minutes(3)));
        AlertEvent stuck = d.alerts().get(0);

        // Thirteen hours on, 47 h 15 min of grace are left: inside the horizon.
        d.send(cipherFailure(ADDRESS, minutes(13 * 60)));

        List<AlertEvent> alerts = d.alerts();
        assertThat(alerts).hasSize(1);
        AlertEvent atRisk = alerts.get(0);
        assertThat(atRisk.dedupKey()).isEqualTo(stuck.dedupKey());
        assertThat(atRisk.status()).isEqualTo(AlertStatus.FIRING);
        assertThat(atRisk.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(atRisk.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(atRisk.previousPosture()).isEqualTo(Posture.STUCK);
        assertThat(atRisk.startsAt()).isEqualTo(stuck.startsAt());
        assertThat(atRisk.evidence().entitlementTimeLeft()).isEqualTo(Duration.ofHours(47).plusMinutes(15));
        assertThat(atRisk.summary()).contains("entitlement runs out in 47 h 15 min");
        assertThat(d.posture(CLIENT).reasons()).contains("entitlement_runs_out_in:PT47H");
    }

    @Test
    void aStuckClientBecomesAtRiskWhenItsEntitlementEntersTheHorizonEvenWithoutAnotherEventOfItsOwn() {
        PostureDriver d = driver("posture.atRiskHorizon", "48h");
        d.send(tls12Check(CLIENT, ADDRESS, minutes(0), Duration.ofMinutes(15), Duration.ofHours(60)));
        d.send(cipherFailure(ADDRESS, minutes(1)), cipherFailure(ADDRESS, minutes(2)),
                cipherFailure(ADDRESS, minutes(3)));
        assertThat(d.alerts()).singleElement().satisfies(a -> assertThat(a.posture()).isEqualTo(Posture.STUCK));

        // 60 h 15 min of grace minus the 48 h horizon: due at 12 h 15 min. Another client's check moves
        // stream time past it.
        d.send(validCheck("client-b", "203.0.113.9", minutes(12 * 60 + 20)));

        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.clientId()).isEqualTo(CLIENT);
            assertThat(a.posture()).isEqualTo(Posture.AT_RISK);
            assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        });
    }

    @Test
    void anEntitlementThatRanOutLeavesTheStuckClientAtRisk() {
        PostureDriver d = driver("posture.atRiskHorizon", "1h");
        d.send(tls12Check(CLIENT, ADDRESS, minutes(0), Duration.ofMinutes(15), Duration.ofMinutes(1)));

        d.send(cipherFailure(ADDRESS, minutes(30)), cipherFailure(ADDRESS, minutes(31)),
                cipherFailure(ADDRESS, minutes(32)));

        AlertEvent alert = d.alerts().get(0);
        assertThat(alert.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(alert.summary()).contains("has run out");
        assertThat(d.posture(CLIENT).reasons()).contains("entitlement_ran_out");
    }

    @Test
    void aModernHandshakeAfterBeingStuckResolvesTheAlertWithTheSameKeyAndStart() {
        PostureDriver d = driver();
        makeStuck(d, CLIENT, ADDRESS, 0);
        AlertEvent firing = d.alerts().get(0);

        d.send(validCheck(CLIENT, ADDRESS, minutes(10)));

        List<AlertEvent> alerts = d.alerts();
        assertThat(alerts).hasSize(1);
        AlertEvent resolved = alerts.get(0);
        assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(resolved.dedupKey()).isEqualTo(firing.dedupKey());
        assertThat(resolved.startsAt()).isEqualTo(firing.startsAt());
        assertThat(resolved.endsAt()).isEqualTo(minutes(10));
        assertThat(resolved.posture()).isEqualTo(Posture.HEALTHY);
        assertThat(resolved.previousPosture()).isEqualTo(Posture.STUCK);
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);
        assertThat(d.counter("tlswatch.streams.alerts", "status", "resolved")).isEqualTo(1);
    }

    @Test
    void aHandshakeCompletedAtTheCollectorsBroadListenerDoesNotClearAStuckClient() {
        PostureDriver d = driver();
        makeStuck(d, CLIENT, ADDRESS, 0);
        assertThat(d.alerts()).extracting(AlertEvent::status).containsExactly(AlertStatus.FIRING);

        // the same client reports its failures over the collector's TLS listener, which takes its legacy suite
        d.send(io.tlswatch.streams.TestEvents.reportChannelSuccess(ADDRESS, minutes(5), "TLSv1.2",
                "TLS_RSA_WITH_AES_128_CBC_SHA", TLS12_JA4));

        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
        assertThat(d.posture(CLIENT).reasons()).containsExactly("version_or_cipher_mismatch:3");
        assertThat(d.alerts()).as("nothing resolved").isEmpty();
    }

    @Test
    void whatAClientOffersAtTheCollectorsListenerCountsTowardsItsPosture() {
        PostureDriver d = driver();
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));
        String tls11 = "t11d0907h1_aaaaaaaaaaaa_bbbbbbbbbbbb";

        // a handshake at the report listener offering nothing above TLS 1.1, from the client's address, and the
        // report that came over it
        d.send(io.tlswatch.streams.TestEvents.reportChannelSuccess(ADDRESS, minutes(1), "TLSv1.1",
                        "TLS_RSA_WITH_AES_128_CBC_SHA", tls11),
                report(CLIENT, ADDRESS, minutes(1).plusMillis(20), "tls.version_or_cipher_mismatch")
                        .arrival(new Arrival(HandshakeEvent.LISTENER_COLLECTOR, "TLSv1.1",
                                "TLS_RSA_WITH_AES_128_CBC_SHA", tls11)).build());

        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
        assertThat(d.posture(CLIENT).reasons()).containsExactly("version_or_cipher_mismatch:1", "offers_only:TLSv1.1");
    }

    @Test
    void tls12WithoutAeadIsDegradedAndTurningStuckResolvesDegradedBeforeFiringOutdated() {
        PostureDriver d = driver();
        d.send(TestEventsExtra.tls12CbcCheck(CLIENT, ADDRESS, minutes(0)));

        AlertEvent degraded = d.alerts().get(0);
        assertThat(degraded.dedupKey()).isEqualTo("tls-degraded:" + CLIENT);
        assertThat(degraded.severity()).isEqualTo(Severity.INFO);
        assertThat(degraded.posture()).isEqualTo(Posture.DEGRADED);
        assertThat(degraded.summary()).contains("tls12_without_aead:TLS_RSA_WITH_AES_128_CBC_SHA");

        d.send(cipherFailure(ADDRESS, minutes(1)), cipherFailure(ADDRESS, minutes(2)),
                cipherFailure(ADDRESS, minutes(3)));

        List<AlertEvent> alerts = d.alerts();
        assertThat(alerts).extracting(AlertEvent::dedupKey, AlertEvent::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("tls-degraded:" + CLIENT, AlertStatus.RESOLVED),
                org.assertj.core.groups.Tuple.tuple("tls-outdated:" + CLIENT, AlertStatus.FIRING));
        assertThat(alerts.get(0).startsAt()).isEqualTo(degraded.startsAt());
    }

    @Test
    void trustStoreAndClockProblemsMakeAWorkingClientDegraded() {
        PostureDriver d = driver();
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)),
                failure(ADDRESS, minutes(1), FailureReason.UNKNOWN_CA, "TLSv1.3", MODERN_JA4),
                report(CLIENT, ADDRESS, minutes(2), "tls.cert.date_invalid")
                        .clientTime(minutes(2).plus(Duration.ofHours(3))).build());

        ClientPosture row = d.posture(CLIENT);
        assertThat(row.posture()).isEqualTo(Posture.DEGRADED);
        assertThat(row.reasons()).containsExactly("old_trust_store:1", "certificate_date_errors:1", "clock_skew:+10800s");
        assertThat(d.alerts()).extracting(AlertEvent::dedupKey).containsExactly("tls-degraded:" + CLIENT);
    }

    @Test
    void reportsOfVersionMismatchAloneMakeAClientNeverSeenValidAtRisk() {
        PostureDriver d = driver();

        for (int i = 1; i <= 3; i++) {
            d.send(report(CLIENT, ADDRESS, minutes(i), "tls.version_or_cipher_mismatch").build());
        }

        ClientPosture row = d.posture(CLIENT);
        assertThat(row.posture()).isEqualTo(Posture.AT_RISK);
        assertThat(row.reasons()).containsExactly("version_or_cipher_mismatch:3", "never_validated");
        assertThat(row.lapsesAt()).isNull();
        assertThat(row.reportsByErrorClass()).containsEntry("tls.version_or_cipher_mismatch", 3L);
        assertThat(row.runtime()).isEqualTo(io.tlswatch.streams.TestEvents.JAVA7);
    }

    @Test
    void aFlappingClientRaisesNoAlertUntilTheNewPostureHeldForTheMinimumHold() {
        PostureDriver d = driver("alerts.minHold", "10m");
        makeStuck(d, CLIENT, ADDRESS, 0);
        // Stuck for two minutes only, then a modern check: the change never held.
        d.send(validCheck(CLIENT, ADDRESS, minutes(5)));
        makeStuck(d, CLIENT, ADDRESS, 6);
        d.send(validCheck(CLIENT, ADDRESS, minutes(11)));
        assertThat(d.alerts()).isEmpty();
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);

        // Stuck from minute 13 on; the hold runs out at 23 (a punctuation or an event observes it).
        d.send(cipherFailure(ADDRESS, minutes(13)), cipherFailure(ADDRESS, minutes(14)),
                cipherFailure(ADDRESS, minutes(15)), cipherFailure(ADDRESS, minutes(20)));
        assertThat(d.alerts()).isEmpty();
        d.send(cipherFailure(ADDRESS, minutes(25)));
        List<AlertEvent> fired = d.alerts();
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).status()).isEqualTo(AlertStatus.FIRING);
        assertThat(fired.get(0).startsAt()).isEqualTo(minutes(15));

        // Recovering is held too: a modern check, then failing again within the hold, resolves nothing.
        d.send(validCheck(CLIENT, ADDRESS, minutes(26)));
        makeStuck(d, CLIENT, ADDRESS, 27);
        assertThat(d.alerts()).isEmpty();
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void aHeldChangeCommitsOnStreamTimeEvenWithoutAnotherEventFromThatClient() {
        PostureDriver d = driver("alerts.minHold", "10m");
        makeStuck(d, CLIENT, ADDRESS, 0);
        assertThat(d.alerts()).isEmpty();

        // Another client's traffic moves stream time past the hold; the punctuation commits the change.
        d.send(validCheck("client-b", "203.0.113.9", minutes(20)));

        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.clientId()).isEqualTo(CLIENT);
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
        });
    }

    @Test
    void aLateEventWithinTheGraceCountsAndOneBeyondItIsDroppedAndCounted() {
        PostureDriver d = driver("events.grace", "10m", "events.dedupWindow", "1h");
        d.send(tls12Check(CLIENT, ADDRESS, minutes(0)),
                cipherFailure(ADDRESS, minutes(30)), validCheck("client-b", "203.0.113.9", minutes(60)));

        d.send(cipherFailure(ADDRESS, minutes(55)));  // five minutes late: accepted
        d.send(cipherFailure(ADDRESS, minutes(40)));  // twenty minutes late: dropped

        assertThat(d.posture(CLIENT).failuresByReason()).containsEntry("no_shared_cipher", 2L);
        assertThat(d.counter("tlswatch.streams.events.late")).isEqualTo(1);
    }

    @Test
    void outOfOrderFailuresCountTheSameAsInOrderOnes() {
        PostureDriver d = driver();
        d.send(tls12Check(CLIENT, ADDRESS, minutes(0)));

        d.send(cipherFailure(ADDRESS, minutes(3)), cipherFailure(ADDRESS, minutes(1)),
                cipherFailure(ADDRESS, minutes(2)));

        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
        assertThat(d.alerts()).singleElement().satisfies(a -> assertThat(a.startsAt()).isEqualTo(minutes(3)));
    }

    @Test
    void aModernCheckThatArrivesLateButHappenedAfterTheFailuresStillClearsTheClient() {
        PostureDriver d = driver();
        d.send(tls12Check(CLIENT, ADDRESS, minutes(0)), cipherFailure(ADDRESS, minutes(1)),
                cipherFailure(ADDRESS, minutes(2)));

        d.send(validCheck(CLIENT, ADDRESS, minutes(4)), cipherFailure(ADDRESS, minutes(3)));

        assertThat(d.posture(CLIENT).failuresByReason()).containsEntry("no_shared_cipher", 3L);
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.HEALTHY);
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void aRedeliveredEventCountsOnce() {
        PostureDriver d = driver();
        HandshakeEvent failure = outdatedFailure(ADDRESS, minutes(1));
        d.send(legacyReport(CLIENT, ADDRESS, minutes(0)));

        d.send(failure, failure, failure);

        assertThat(d.posture(CLIENT).failuresByReason()).containsEntry("protocol_version", 1L);
        assertThat(d.counter("tlswatch.streams.events.duplicate")).isEqualTo(2);
    }

    @Test
    void failuresFromAnAddressSharedByTwoClientsAreAttributedToNeitherAndCountedAmbiguous() {
        PostureDriver d = driver();
        d.send(validCheck("client-a", ADDRESS, minutes(0)), validCheck("client-b", ADDRESS, minutes(1)));

        d.send(outdatedFailure(ADDRESS, minutes(2)), outdatedFailure(ADDRESS, minutes(3)),
                outdatedFailure(ADDRESS, minutes(4)));

        assertThat(d.posture("client-a").posture()).isEqualTo(Posture.HEALTHY);
        assertThat(d.posture("client-b").posture()).isEqualTo(Posture.HEALTHY);
        assertThat(d.alerts()).isEmpty();
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "ambiguous")).isEqualTo(3);
        assertThat(d.fingerprint(JAVA7_JA4).failures()).isEqualTo(3);
        assertThat(d.fingerprint(JAVA7_JA4).distinctClients()).isZero();
    }

    @Test
    void aSharedAddressIsResolvedByTheFingerprintWhenOnlyOneClientCameWithIt() {
        PostureDriver d = driver();
        d.send(validCheck("client-a", ADDRESS, minutes(0)),
                TestEventsExtra.tls12CbcCheck("client-b", ADDRESS, minutes(1)));

        d.send(failure(ADDRESS, minutes(2), FailureReason.NO_SHARED_CIPHER, "TLSv1.2",
                        io.tlswatch.streams.TestEvents.TLS12_JA4),
                failure(ADDRESS, minutes(3), FailureReason.NO_SHARED_CIPHER, "TLSv1.2",
                        io.tlswatch.streams.TestEvents.TLS12_JA4),
                failure(ADDRESS, minutes(4), FailureReason.NO_SHARED_CIPHER, "TLSv1.2",
                        io.tlswatch.streams.TestEvents.TLS12_JA4));

        assertThat(d.posture("client-b").failuresByReason()).containsEntry("no_shared_cipher", 3L);
        assertThat(d.posture("client-a").failuresByReason()).isEmpty();
    }

    @Test
    void aFailureFromAnAddressNoClientWasSeenAtIsUnknownAndOnlyCountsForItsFingerprint() {
        PostureDriver d = driver();

        d.send(outdatedFailure("192.0.2.99", minutes(1)));

        assertThat(d.postureRows()).isEmpty();
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "unknown")).isEqualTo(1);
        var fp = d.fingerprint(JAVA7_JA4);
        assertThat(fp.outdated()).isTrue();
        assertThat(fp.highestOfferedVersion()).isEqualTo("TLSv1");
        assertThat(fp.distinctClients()).isZero();
        assertThat(fp.distinctAddresses()).isEqualTo(1);
    }

    @Test
    void aFailureWhoseHelloWasReadOnlyInPartCountsForNoFingerprint() {
        PostureDriver d = driver();
        // given a hello cut short by a malformed extension: partial, no JA4, its highest version unknown
        HandshakeEvent partial = HandshakeEvent.builder().time(minutes(1)).source("validator@test")
                .remote("192.0.2.99", 50_000).listener("validator", 8443).tlsProvider(TlsProvider.OPENSSL)
                .durationMillis(1.0)
                .clientHello(ClientHelloSummary.builder().legacyVersion("TLSv1.2")
                        .cipherSuites(List.of("TLS_AES_128_GCM_SHA256")).extensions(List.of(0, 10))
                        .partial("signature_algorithms").build())
                .failure(FailureReason.OTHER, "ERROR_PARSING_EXTENSION (server sent decode_error)").build();

        // when
        d.send(partial);

        // then it is seen, but mints no fingerprint (nor an offer legacy_version would understate)
        assertThat(d.counter("tlswatch.streams.attributions", "outcome", "unknown")).isEqualTo(1);
        assertThat(d.fingerprintRows()).isEmpty();
        assertThat(d.postureRows()).isEmpty();
    }

    @Test
    void aNelReportIsAttributedThroughItsAddress() {
        PostureDriver d = driver();
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));

        d.send(nelReport(ADDRESS, minutes(1), "tls.cert.authority_invalid"));

        assertThat(d.posture(CLIENT).reportsByErrorClass()).containsEntry("tls.cert.authority_invalid", 1L);
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.DEGRADED);
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterTopicWithItsReasonAndTheJobCarriesOn() {
        PostureDriver d = driver();
        byte[] garbage = "{\"type\":\"tlswatch.handshake/1\",\"id\":".getBytes(StandardCharsets.UTF_8);

        d.sendRawHandshake(ADDRESS, garbage, minutes(0));
        d.send(validCheck(CLIENT, ADDRESS, minutes(1)));

        var dead = d.deadLetters();
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo(ADDRESS);
            assertThat(r.value()).isEqualTo(garbage);
            assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                    .contains("cannot deserialize HandshakeEvent");
            assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.TOPIC).value(), StandardCharsets.UTF_8))
                    .isEqualTo(d.config.topics().handshakes().name());
            assertThat(r.headers().lastHeader(DeadLetterHeaders.OFFSET)).isNotNull();
        });
        assertThat(d.counter("tlswatch.streams.dead.letters", "input", "handshakes")).isEqualTo(1);
        assertThat(d.posture(CLIENT)).isNotNull();
    }

    @Test
    void anOutdatedFingerprintRunByEnoughClientsRaisesOneFingerprintAlert() {
        PostureDriver d = driver();
        for (int i = 0; i < 4; i++) {
            String address = "203.0.113." + (10 + i);
            d.send(legacyReport("client-" + i, address, minutes(i)), outdatedFailure(address, minutes(i).plusSeconds(5)));
        }

        List<AlertEvent> fingerprintAlerts = d.alerts().stream()
                .filter(a -> AlertEvent.KIND_FINGERPRINT_OUTDATED.equals(a.kind())).toList();
        assertThat(fingerprintAlerts).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("tls-outdated-fingerprint:" + JAVA7_JA4);
            assertThat(a.ja4()).isEqualTo(JAVA7_JA4);
            assertThat(a.evidence().distinctClients()).isEqualTo(3L);
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
        });
        assertThat(d.fingerprint(JAVA7_JA4).distinctClients()).isEqualTo(4);
    }

    @Test
    void theFingerprintAlertResolvesWhenItsClientsAgeOutOfTheWindow() {
        PostureDriver d = driver("posture.window", "1h", "attribution.window", "1h");
        for (int i = 0; i < 3; i++) {
            String address = "203.0.113." + (10 + i);
            d.send(legacyReport("client-" + i, address, minutes(i)), outdatedFailure(address, minutes(i).plusSeconds(5)));
        }
        d.alerts();

        d.send(validCheck("client-z", "192.0.2.200", minutes(120)));

        assertThat(d.alerts().stream().filter(a -> AlertEvent.KIND_FINGERPRINT_OUTDATED.equals(a.kind())))
                .singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED));
    }

    @Test
    void oneLicenseUsedFromManyAddressesAtOnceLooksSharedUntilItCalmsDown() {
        PostureDriver d = driver("licenses.sharingMinAddresses", "3", "licenses.sharingWindow", "1h");
        for (int i = 0; i < 3; i++) {
            d.send(io.tlswatch.streams.TestEvents.check("client-" + i, "203.0.113." + (10 + i), minutes(i),
                    "TLSv1.3", "TLS_AES_256_GCM_SHA384", MODERN_JA4).licenseId("lic-shared")
                    .tokenExpiresAt(minutes(i + 15)).graceUntil(minutes(i + 60)).build());
        }

        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("license-sharing:lic-shared");
            assertThat(a.kind()).isEqualTo("license_sharing");
            assertThat(a.status()).isEqualTo(AlertStatus.FIRING);
            assertThat(a.summary()).contains("3 addresses").contains("3 clients");
            assertThat(a.evidence().ja4s()).containsExactly(MODERN_JA4);
        });

        // An hour later, only one address is left in the window.
        d.send(io.tlswatch.streams.TestEvents.check("client-0", "203.0.113.10", minutes(90), "TLSv1.3",
                "TLS_AES_256_GCM_SHA384", MODERN_JA4).licenseId("lic-shared").tokenExpiresAt(minutes(105))
                .graceUntil(minutes(150)).build());
        d.send(validCheck("client-z", "192.0.2.200", minutes(95)));

        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.dedupKey()).isEqualTo("license-sharing:lic-shared");
            assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED);
        });
    }

    @Test
    void aLicenseUsedByOneClientFromOneAddressNeverLooksShared() {
        PostureDriver d = driver("licenses.sharingMinAddresses", "2");

        for (int i = 0; i < 5; i++) {
            d.send(validCheck(CLIENT, ADDRESS, minutes(i)));
        }

        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void evidenceOlderThanTheWindowNoLongerCountsSoTheAlertResolves() {
        PostureDriver d = driver("posture.window", "1h");
        makeStuck(d, CLIENT, ADDRESS, 0);
        d.alerts();

        d.send(validCheck("client-b", "203.0.113.9", minutes(70)));

        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(a.clientId()).isEqualTo(CLIENT);
        });
    }

    @Test
    void aClientSilentForTheRetentionIsForgottenWithATombstone() {
        PostureDriver d = driver("posture.clientRetention", "2h");
        d.send(validCheck(CLIENT, ADDRESS, minutes(0)));
        d.postureRows();

        d.send(validCheck("client-b", "203.0.113.9", minutes(180)));

        assertThat(d.postureRecords()).anySatisfy(r -> {
            assertThat(r.key()).isEqualTo(CLIENT);
            assertThat(r.value()).isNull();
        });
        assertThat(d.posture(CLIENT)).isNull();
    }

    @Test
    void aHealthyJobExportsItsCountersAtZeroForEveryKnownTagValueBeforeTheFirstEvent() {
        // given a job that has read nothing
        PostureDriver d = driver();

        // then each counter is there for each of its known tag values, at 0, so a dashboard reads 0, not "No data"
        for (String input : List.of(Names.HANDSHAKES, Names.LICENSE_CHECKS, Names.CLIENT_REPORTS)) {
            assertThat(d.registry.get("tlswatch.streams.dead.letters").tag("input", input).counter().count())
                    .isZero();
        }
        assertThat(d.registry.find("tlswatch.streams.alerts").counters())
                .extracting(c -> c.getId().getTag("kind")).containsOnly(AlertEvent.KIND_CLIENT_POSTURE,
                        AlertEvent.KIND_FINGERPRINT_OUTDATED, LicenseSharingRules.KIND)
                .hasSize(3 * 2 * 3);
        assertThat(d.registry.find("tlswatch.streams.attributions").counters())
                .extracting(c -> c.getId().getTag("outcome")).containsExactlyInAnyOrder("attributed", "ambiguous",
                        "unknown");
        assertThat(d.registry.find("tlswatch.streams.reports.unbound").counters())
                .extracting(c -> c.getId().getTag("reason")).containsExactlyInAnyOrder("other_key", "unsigned");
        assertThat(d.registry.getMeters()).filteredOn(Counter.class::isInstance)
                .allSatisfy(c -> assertThat(((Counter) c).count()).isZero());
    }

    @Test
    void handshakesKeyedByTheirAddressReachAttributionWithoutTheByAddressTopic() {
        PostureDriver d = driver();

        makeStuck(d, CLIENT, ADDRESS, 0);

        assertThat(d.byAddress()).extracting(r -> r.check() != null).containsExactly(true);
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void aHandshakeKeyedOtherwiseThanByItsAddressIsRepartitionedByItAndStillAttributed() {
        PostureDriver d = driver();
        var serializer = d.config.topics().handshakes().valueSerde().serializer();

        d.send(tls12Check(CLIENT, ADDRESS, minutes(0)));
        for (int minute = 1; minute <= 3; minute++) {
            HandshakeEvent failure = cipherFailure(ADDRESS, minutes(minute));
            d.sendRawHandshake("not-" + ADDRESS, serializer.serialize("t", failure), failure.time());
        }

        assertThat(d.byAddress()).extracting(r -> r.handshake() != null).containsExactly(false, true, true, true);
        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void handshakesAnEarlierVersionLeftInTheByAddressTopicAreStillAttributed() {
        PostureDriver d = driver();
        d.send(tls12Check(CLIENT, ADDRESS, minutes(0)));

        for (int minute = 1; minute <= 3; minute++) {
            d.sendToByAddress(AddressSignal.of(cipherFailure(ADDRESS, minutes(minute))));
        }

        assertThat(d.posture(CLIENT).posture()).isEqualTo(Posture.STUCK);
    }

    @Test
    void handshakesChecksReportsAndAttributionRunInOneTaskSoTheirPartitionsMeet() {
        PostureDriver d = driver();

        var subtopologies = PostureTopology.build(d.config,
                new io.tlswatch.streams.metrics.StreamsMeters(d.registry, PostureTopology.meterTags()),
                java.time.Clock.systemUTC()).describe().subtopologies();

        assertThat(subtopologies).filteredOn(s -> s.nodes().stream()
                        .anyMatch(n -> n.name().equals(Names.source(Names.HANDSHAKES))))
                .singleElement()
                .satisfies(s -> assertThat(s.nodes()).extracting(n -> n.name())
                        .contains(Names.ATTRIBUTION, Names.source(Names.LICENSE_CHECKS),
                                Names.source(Names.CLIENT_REPORTS)));
    }

    @Test
    void everyRepartitionTopicAndStoreHasTheNameTheConstantsGive() {
        PostureDriver d = driver();

        String description = PostureTopology.build(d.config,
                new io.tlswatch.streams.metrics.StreamsMeters(d.registry, PostureTopology.meterTags()), java.time.Clock.systemUTC())
                .describe().toString();

        assertThat(description).contains(Names.BY_ADDRESS + "-repartition", Names.BY_CLIENT + "-repartition",
                Names.BY_FINGERPRINT + "-repartition", Names.BY_LICENSE + "-repartition", Names.DEDUP_IDS_STORE,
                Names.DEDUP_DUE_STORE, Names.ADDRESS_DUE_STORE, Names.PENDING_DUE_STORE,
                Names.LICENSE_STATE_STORE, Names.LICENSE_MEMBERS_STORE, Names.LICENSE_SHARING, Names.ADDRESS_BOOK_STORE,
                Names.PENDING_HANDSHAKES_STORE,
                Names.CLIENT_STATE_STORE, Names.CLIENT_POSTURE_STORE, Names.CLIENT_DUE_STORE,
                Names.FINGERPRINT_STATE_STORE, Names.FINGERPRINT_MEMBERS_STORE, Names.FINGERPRINT_POSTURE_STORE, Names.ATTRIBUTION, Names.POSTURE, Names.FINGERPRINTS,
                Names.parse(Names.HANDSHAKES), Names.dedup(Names.LICENSE_CHECKS),
                Names.deadLetterSink(Names.CLIENT_REPORTS));
        assertThat(description).doesNotContain("KSTREAM-", "KTABLE-");
    }
}
