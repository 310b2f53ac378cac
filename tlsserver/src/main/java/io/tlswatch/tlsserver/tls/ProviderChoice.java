package io.tlswatch.tlsserver.tls;

import io.tlswatch.contract.event.TlsProvider;

import static io.tlswatch.tlsserver.tls.TlsSettings.KEY_PROVIDER;

/**
 * Which TLS implementation runs, from the preference and whether the OpenSSL native library loaded.
 */
final class ProviderChoice {

    private ProviderChoice() {
    }

    /**
     * @param unavailabilityCause why OpenSSL did not load, for the error message; may be {@code null}
     * @throws TlsConfigurationException when OpenSSL is required but did not load
     */
    static TlsProvider choose(TlsSettings.ProviderPreference preference, boolean openSslAvailable,
                              Throwable unavailabilityCause) {
        return switch (preference) {
            case JDK -> TlsProvider.JDK;
            case AUTO -> openSslAvailable ? TlsProvider.OPENSSL : TlsProvider.JDK;
            case OPENSSL -> {
                if (!openSslAvailable) {
                    throw new TlsConfigurationException(KEY_PROVIDER + " is OPENSSL, but the OpenSSL provider "
                            + "(netty-tcnative BoringSSL) did not load"
                            + (unavailabilityCause == null ? "" : ": " + unavailabilityCause)
                            + "; set " + KEY_PROVIDER + "=AUTO or JDK to run on the JDK's TLS");
                }
                yield TlsProvider.OPENSSL;
            }
        };
    }
}
