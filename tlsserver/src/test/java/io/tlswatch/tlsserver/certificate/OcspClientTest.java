package io.tlswatch.tlsserver.certificate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class OcspClientTest {

    private final OcspClient client = new OcspClient(Duration.ofSeconds(1));

    /**
     * URLs a certificate's AIA extension may name that the JDK's HTTP client refuses outright (no host it accepts,
     * a port out of range): each is a failed fetch like an unreachable responder, never an exception that would
     * cost the certificate manager a rotation or its retries.
     */
    @ParameterizedTest
    @ValueSource(strings = {"http://ocsp_responder.internal/ocsp", "http://ocsp.example.com:99999/ocsp"})
    void givenAResponderUrlTheHttpClientRefuses_whenFetching_thenTheFetchFailsWithTheReason(String url) {
        OcspClient.Fetched fetched = client.fetch(URI.create(url), new byte[]{0x30, 0x00});

        assertThat(fetched.response()).isNull();
        assertThat(fetched.failure()).contains(url).contains("cannot be asked");
    }
}
