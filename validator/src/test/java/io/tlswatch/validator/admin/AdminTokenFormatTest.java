package io.tlswatch.validator.admin;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class AdminTokenFormatTest {

    private final AdminTokenFormat format = new AdminTokenFormat(new SecureRandom());

    @Test
    void aTokenCarriesItsIdAndA256BitSecret() {
        AdminTokenFormat.NewToken token = format.generate();

        assertThat(token.token()).startsWith("tlswatch_at_" + token.tokenId() + "_");
        String secret = token.token().substring(("tlswatch_at_" + token.tokenId() + "_").length());
        assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
        assertThat(AdminTokenFormat.tokenIdOf(token.token())).contains(token.tokenId());
        assertThat(token.toString()).doesNotContain(secret);
    }

    @Test
    void anythingElseHasNoTokenId() {
        String good = format.generate().token();

        assertThat(AdminTokenFormat.tokenIdOf(null)).isEmpty();
        assertThat(AdminTokenFormat.tokenIdOf("TLSW-ABC")).isEmpty();
        assertThat(AdminTokenFormat.tokenIdOf(good.substring(0, good.length() - 1))).isEmpty();
        assertThat(AdminTokenFormat.tokenIdOf("tlswatch_at_XYZ_" + good.substring(good.lastIndexOf('_') + 1)))
                .isEmpty();
    }

    @Test
    void theHashIsTheSha256OfTheWholeTokenAndComparesOnlyEqualHashes() {
        String token = format.generate().token();
        String hash = AdminTokenFormat.hash(token);

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(AdminTokenFormat.sameHash(hash, AdminTokenFormat.hash(token))).isTrue();
        assertThat(AdminTokenFormat.sameHash(hash, AdminTokenFormat.hash(token + "x"))).isFalse();
    }
}
