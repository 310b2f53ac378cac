package io.tlswatch.streams.attribution;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.tlswatch.streams.TestEvents.minutes;
import static org.assertj.core.api.Assertions.assertThat;

class AddressBookTest {

    private static final Duration WINDOW = Duration.ofHours(1);

    @Test
    void anAddressNoClientWasSeenAtAttributesToNobody() {
        assertThat(AddressBook.empty().attribute("j", minutes(0), WINDOW).outcome())
                .isEqualTo(AttributionOutcome.UNKNOWN);
    }

    @Test
    void theOneClientSeenAtTheAddressGetsAnEventWithAFingerprintItWasSeenWith() {
        AddressBook book = AddressBook.empty().learn("a", "j1", null, minutes(0), WINDOW, 64);

        AddressBook.Attribution attribution = book.attribute("j1", minutes(5), WINDOW);

        assertThat(attribution.outcome()).isEqualTo(AttributionOutcome.ATTRIBUTED);
        assertThat(attribution.clientId()).isEqualTo("a");
    }

    @Test
    void aFingerprintTheOnlyClientAtTheAddressWasNeverSeenWithIsAmbiguousNotItsOwn() {
        // given a modern client that checked in from behind a NAT
        AddressBook book = AddressBook.empty().learn("a", "modern", null, minutes(0), WINDOW, 64);

        // when a TLS 1.0-only ClientHello comes from the same address: a neighbour nobody has heard from yet
        AddressBook.Attribution attribution = book.attribute("tls10", minutes(5), WINDOW);

        // then it is not pinned on the one client known there
        assertThat(attribution.outcome()).isEqualTo(AttributionOutcome.AMBIGUOUS);
        assertThat(attribution.clientId()).isNull();
        assertThat(attribution.candidates()).isEqualTo(2);
    }

    @Test
    void theOnlyClientAtTheAddressNeverSeenWithAFingerprintGetsTheEventAndSoDoesOneWithoutAFingerprint() {
        AddressBook unfingerprinted = AddressBook.empty().learn("a", null, null, minutes(0), WINDOW, 64);
        AddressBook fingerprinted = AddressBook.empty().learn("b", "j1", null, minutes(0), WINDOW, 64);

        assertThat(unfingerprinted.attribute("j9", minutes(5), WINDOW).clientId()).isEqualTo("a");
        assertThat(fingerprinted.attribute(null, minutes(5), WINDOW).clientId()).isEqualTo("b");
    }

    @Test
    void aFingerprintNoneOfTheClientsSharingTheAddressWasSeenWithIsAmbiguous() {
        AddressBook book = AddressBook.empty().learn("a", "j1", null, minutes(0), WINDOW, 64)
                .learn("b", null, null, minutes(1), WINDOW, 64);

        assertThat(book.attribute("j9", minutes(2), WINDOW).outcome()).isEqualTo(AttributionOutcome.AMBIGUOUS);
    }

    @Test
    void twoClientsAtTheAddressAreAmbiguous() {
        AddressBook book = AddressBook.empty().learn("a", "j1", null, minutes(0), WINDOW, 64)
                .learn("b", "j1", null, minutes(1), WINDOW, 64);

        AddressBook.Attribution attribution = book.attribute("j1", minutes(2), WINDOW);

        assertThat(attribution.outcome()).isEqualTo(AttributionOutcome.AMBIGUOUS);
        assertThat(attribution.clientId()).isNull();
        assertThat(attribution.candidates()).isEqualTo(2);
    }

    @Test
    void theFingerprintPicksTheOneClientThatCameWithIt() {
        AddressBook book = AddressBook.empty().learn("a", "j1", null, minutes(0), WINDOW, 64)
                .learn("b", "j2", null, minutes(1), WINDOW, 64);

        assertThat(book.attribute("j2", minutes(2), WINDOW).clientId()).isEqualTo("b");
        assertThat(book.attribute(null, minutes(2), WINDOW).outcome()).isEqualTo(AttributionOutcome.AMBIGUOUS);
    }

    @Test
    void aClientSeenLongerAgoThanTheWindowNoLongerCounts() {
        AddressBook book = AddressBook.empty().learn("a", null, null, minutes(0), WINDOW, 64)
                .learn("b", null, null, minutes(90), WINDOW, 64);

        assertThat(book.clients()).containsOnlyKeys("b");
        assertThat(book.attribute(null, minutes(91), WINDOW).clientId()).isEqualTo("b");
    }

    @Test
    void theBookKeepsOnlyTheNewestClientsBeyondItsLimit() {
        AddressBook book = AddressBook.empty();
        for (int i = 0; i < 5; i++) {
            book = book.learn("c" + i, null, null, minutes(i), WINDOW, 3);
        }

        assertThat(book.clients()).containsOnlyKeys("c2", "c3", "c4");
    }

    @Test
    void forgettingDropsClientsSeenBeforeTheCutoff() {
        AddressBook book = AddressBook.empty().learn("a", null, null, minutes(0), WINDOW, 64)
                .learn("b", null, null, minutes(30), WINDOW, 64);

        assertThat(book.forgetBefore(minutes(10)).clients()).containsOnlyKeys("b");
    }
}
