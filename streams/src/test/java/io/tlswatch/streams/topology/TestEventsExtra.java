package io.tlswatch.streams.topology;

import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.streams.TestEvents;

import java.time.Duration;
import java.time.Instant;

/** Checks over a TLS 1.2 connection with a CBC suite: working, but on something scheduled to break. */
final class TestEventsExtra {

    private TestEventsExtra() {
    }

    static LicenseCheckEvent tls12CbcCheck(String clientId, String address, Instant time) {
        return TestEvents.check(clientId, address, time, "TLSv1.2", "TLS_RSA_WITH_AES_128_CBC_SHA",
                        TestEvents.TLS12_JA4)
                .tokenExpiresAt(time.plus(Duration.ofMinutes(15))).graceUntil(time.plus(Duration.ofDays(30))).build();
    }
}
