package io.tlswatch.validator;

import java.util.Map;

/** The same end-to-end checks with the JDK's TLS provider instead of BoringSSL. */
class ValidatorJdkProviderIT extends ValidatorIT {

    @Override
    Map<String, String> extraConfig() {
        return Map.of("tls.provider", "jdk");
    }
}
