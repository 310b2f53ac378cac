package io.tlswatch.validator.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateRequestReaderTest {

    private final ValidateRequestReader reader = new ValidateRequestReader();

    private ValidateRequestReader.Result read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAFullRequestIgnoringUnknownFields() {
        ValidateRequestReader.Result result = read("""
                {"licenseKey": "TLSW-abc", "clientId": "inst-7f3a9c2e", "future": 1,
                 "sdk": {"name": "tlswatch-java", "version": "1.2.0", "os": "Linux",
                         "runtime": {"name": "OpenJDK", "version": "17.0.15", "vendor": "Debian"}}}""");

        assertThat(result.error()).isNull();
        assertThat(result.request().licenseKey()).isEqualTo("TLSW-abc");
        assertThat(result.request().clientId()).isEqualTo("inst-7f3a9c2e");
        assertThat(result.request().sdk().runtime().version()).isEqualTo("17.0.15");
    }

    @Test
    void sdkIsOptional() {
        ValidateRequestReader.Result result = read("{\"licenseKey\": \"k\", \"clientId\": \"c\"}");

        assertThat(result.request().sdk()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json                                   | 400 | malformed_json |",
            "[1,2]                                      | 400 | malformed_json |",
            "{\"clientId\": \"c\"}                      | 422 | invalid_field  | /licenseKey",
            "{\"licenseKey\": 7, \"clientId\": \"c\"}   | 422 | invalid_field  | /licenseKey",
            "{\"licenseKey\": \"k\"}                    | 422 | invalid_field  | /clientId",
            "{\"licenseKey\": \"k\", \"clientId\": \"a b\"} | 422 | invalid_field | /clientId",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"sdk\": 3} | 422 | invalid_field | /sdk",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"sdk\": {\"name\": 1}} | 422 | invalid_field | /sdk/name",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"sdk\": {\"runtime\": []}} | 422 | invalid_field | /sdk/runtime",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": \"api\"} | 422 | invalid_field | /entitlements",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": []} | 422 | invalid_field | /entitlements",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": [\"api\", 7]} | 422 | invalid_field | /entitlements/1",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": [\" \"]} | 422 | invalid_field | /entitlements/0",
            "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": [\"api\", \"x\", \"api\"]} | 422 | invalid_field | /entitlements/2",
    })
    void refusesMalformedInputNamingTheField(String body, int status, String code, String field) {
        RequestError error = read(body).error();

        assertThat(error).isNotNull();
        assertThat(error.status()).isEqualTo(HttpResponseStatus.valueOf(status));
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.field()).isEqualTo(field);
    }

    @Test
    void entitlementsAreOptionalAndReadInOrder() {
        ValidateRequestReader.Result without = read("{\"licenseKey\": \"k\", \"clientId\": \"c\"}");
        ValidateRequestReader.Result withNull = read(
                "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": null}");
        ValidateRequestReader.Result with = read("""
                {"licenseKey": "k", "clientId": "c", "entitlements": ["export", "reporting"],
                 "sdk": {"name": "tlswatch-java"}}""");

        assertThat(without.request().entitlements()).isNull();
        assertThat(withNull.request().entitlements()).isNull();
        assertThat(with.error()).isNull();
        assertThat(with.request().entitlements()).containsExactly("export", "reporting");
    }

    @Test
    void tooManyOrTooLongEntitlementsAreRefusedNamingTheField() {
        String many = "[" + "\"e\",".repeat(64) + "\"last\"]";
        String longOne = "[\"" + "e".repeat(129) + "\"]";

        RequestError tooMany = read("{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": " + many + "}")
                .error();
        RequestError tooLong = read("{\"licenseKey\": \"k\", \"clientId\": \"c\", \"entitlements\": " + longOne + "}")
                .error();

        assertThat(tooMany.field()).isEqualTo("/entitlements");
        assertThat(tooMany.status()).isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY);
        assertThat(tooLong.field()).isEqualTo("/entitlements/0");
    }

    @Test
    void deeplyNestedJsonIsRefusedAsMalformed() {
        String deep = "{\"licenseKey\": \"k\", \"clientId\": \"c\", \"sdk\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}";

        RequestError error = read(deep).error();

        assertThat(error.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error.message()).containsIgnoringCase("depth");
    }
}
