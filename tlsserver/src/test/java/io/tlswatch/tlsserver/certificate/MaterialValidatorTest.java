package io.tlswatch.tlsserver.certificate;

import io.tlswatch.tlsserver.tls.ServerKeyMaterial;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MaterialValidatorTest {

    private static RotationPki pki;
    private static RotationPki.Leaf leaf;
    private final Instant now = Instant.now();

    @BeforeAll
    static void issue() throws Exception {
        pki = RotationPki.create("Validator test CA");
        leaf = pki.issue(Duration.ofMinutes(30));
    }

    private static ServerKeyMaterial material(RotationPki.Leaf leaf, java.security.cert.X509Certificate... chain) {
        return new ServerKeyMaterial(leaf.keys().getPrivate(), List.of(chain));
    }

    @Test
    void givenAChainEndingAtATrustAnchor_whenChecked_thenItIsAccepted() {
        MaterialValidator validator = new MaterialValidator(List.of(pki.ca), Duration.ofMinutes(5));

        assertThat(validator.chainRefusal(material(leaf, leaf.certificate(), pki.ca), now)).isEmpty();
        assertThat(validator.chainRefusal(material(leaf, leaf.certificate()), now)).isEmpty();
    }

    @Test
    void givenAChainOutOfOrder_whenChecked_thenTheReasonSaysSo() {
        MaterialValidator validator = new MaterialValidator(List.of(), Duration.ZERO);

        assertThat(validator.chainRefusal(material(leaf, pki.ca, leaf.certificate()), now))
                .hasValueSatisfying(reason -> assertThat(reason).contains("not in order"));
    }

    @Test
    void givenAChainFromAnotherCa_whenCheckedAgainstTheAnchors_thenItIsIncomplete() throws Exception {
        RotationPki other = RotationPki.create("Unconfigured CA");
        RotationPki.Leaf stranger = other.issue(Duration.ofMinutes(30));
        MaterialValidator validator = new MaterialValidator(List.of(pki.ca), Duration.ZERO);

        assertThat(validator.chainRefusal(material(stranger, stranger.certificate()), now))
                .hasValueSatisfying(reason -> assertThat(reason).contains("incomplete").contains("tls.trustAnchors"));
    }

    @Test
    void givenAnExpiredLeaf_whenChecked_thenItIsRefusedAsExpired() throws Exception {
        RotationPki.Leaf expired = pki.issue(now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));

        assertThat(new MaterialValidator(List.of(), Duration.ZERO).validityRefusal(expired.certificate(), now))
                .hasValueSatisfying(reason -> assertThat(reason).contains("expired at"));
    }

    @Test
    void givenALeafNotYetValid_whenChecked_thenItIsRefused() throws Exception {
        RotationPki.Leaf future = pki.issue(now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));

        assertThat(new MaterialValidator(List.of(), Duration.ZERO).validityRefusal(future.certificate(), now))
                .hasValueSatisfying(reason -> assertThat(reason).contains("not valid before"));
    }

    @Test
    void givenALeafExpiringSoonerThanTheMinimumAhead_whenChecked_thenItIsRefusedNamingTheKey() {
        MaterialValidator validator = new MaterialValidator(List.of(), Duration.ofHours(1));

        assertThat(validator.validityRefusal(leaf.certificate(), now))
                .hasValueSatisfying(reason -> assertThat(reason).contains("tls.minValidityAhead"));
        assertThat(new MaterialValidator(List.of(), Duration.ofMinutes(10)).validityRefusal(leaf.certificate(), now))
                .isEmpty();
    }

    @Test
    void theIssuerIsFoundInTheChainOrAmongTheAnchors() {
        MaterialValidator validator = new MaterialValidator(List.of(pki.ca), Duration.ZERO);

        assertThat(validator.issuerOf(material(leaf, leaf.certificate(), pki.ca))).contains(pki.ca);
        assertThat(validator.issuerOf(material(leaf, leaf.certificate()))).contains(pki.ca);
        assertThat(new MaterialValidator(List.of(), Duration.ZERO).issuerOf(material(leaf, leaf.certificate())))
                .isEmpty();
    }
}
