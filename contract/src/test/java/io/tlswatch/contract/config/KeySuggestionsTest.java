package io.tlswatch.contract.config;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KeySuggestionsTest {

    private final KeySuggestions suggestions = new KeySuggestions(Set.of("https.port", "http.port", "admin.port",
            "server.requestTimeout", "server.handshakeTimeout", "startup.timeout", "shutdown.grace"));

    @Test
    void aTypoSuggestsTheKeyItMisspells() {
        assertThat(suggestions.closest("server.requestTimout")).containsExactly("server.requestTimeout");
        assertThat(suggestions.hint("shutdown.grase")).isEqualTo("did you mean shutdown.grace?");
    }

    @Test
    void caseIsIgnored() {
        assertThat(suggestions.closest("Startup.Timeout")).containsExactly("startup.timeout");
    }

    @Test
    void equallyCloseKeysAreAllSuggested() {
        assertThat(suggestions.closest("httpx.port")).containsExactly("http.port", "https.port");
        assertThat(suggestions.hint("httpx.port")).isEqualTo("did you mean http.port or https.port?");
    }

    @Test
    void aKeyUnderTheWrongPrefixSuggestsTheKeysWithItsLastPart() {
        assertThat(suggestions.closest("server.port")).containsExactly("admin.port", "http.port", "https.port");
    }

    @Test
    void aKeyLikeNoneSaysSoInsteadOfListingThemAll() {
        assertThat(suggestions.closest("licenses.cache")).isEmpty();
        assertThat(suggestions.hint("licenses.cache")).isEqualTo("no known key is like it");
    }

    @Test
    void distanceCountsInsertionsDeletionsAndSubstitutions() {
        assertThat(KeySuggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(KeySuggestions.distance("", "abc")).isEqualTo(3);
        assertThat(KeySuggestions.distance("same", "same")).isZero();
    }
}
