package io.tlswatch.validator.token;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class HtuNormalizerTest {

    @ParameterizedTest
    @CsvSource({
            "https://license.example.com/v1/licenses/validate, https://license.example.com/v1/licenses/validate",
            "HTTPS://License.Example.COM/v1/licenses/validate, https://license.example.com/v1/licenses/validate",
            "https://license.example.com:443/v1/x, https://license.example.com/v1/x",
            "http://license.example.com:80/v1/x, http://license.example.com/v1/x",
            "https://license.example.com:8443/v1/x, https://license.example.com:8443/v1/x",
            "https://license.example.com/v1/x?licenseKey=abc#frag, https://license.example.com/v1/x",
            "https://license.example.com, https://license.example.com/",
            "https://license.example.com/a/./b/../c, https://license.example.com/a/c",
            "https://license.example.com/%7Euser/%61, https://license.example.com/~user/a",
            "https://license.example.com/a%2fb, https://license.example.com/a%2Fb",
            "https://license.example.com/a/%2E%2E/b, https://license.example.com/b",
            "https://[::1]:8443/v1/x, https://[::1]:8443/v1/x",
            "https://license.example.com/../../x, https://license.example.com/x"})
    void equivalentUrisHaveOneForm(String uri, String form) {
        assertThat(HtuNormalizer.normalize(uri)).contains(form);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "/v1/licenses/validate",
            "license.example.com/v1/x",
            "ftp://license.example.com/v1/x",
            "https://user:pass@license.example.com/v1/x",
            "https:///v1/x",
            "https://license example.com/v1/x",
            "https://license.example.com/%zz",
            "https://license.example.com/%4",
            "mailto:someone@example.com"})
    void whatIsNotAnAbsoluteHttpUriHasNoForm(String uri) {
        assertThat(HtuNormalizer.normalize(uri)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "/a/b/c/./../../g, /a/g",
            "/mid/content=5/../6, /mid/6",
            "/a/b/., /a/b/",
            "/a/b/.., /a/",
            "/, /"})
    void dotSegmentsAreRemovedAsRfc3986Section524Does(String path, String expected) {
        assertThat(HtuNormalizer.removeDotSegments(path)).isEqualTo(expected);
    }
}
