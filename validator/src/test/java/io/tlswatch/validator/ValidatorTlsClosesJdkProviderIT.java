package io.tlswatch.validator;

/** The same ends of refused connections with the JDK's TLS provider instead of BoringSSL. */
class ValidatorTlsClosesJdkProviderIT extends ValidatorTlsClosesIT {

    @Override
    String provider() {
        return "jdk";
    }

    @Override
    String renegotiationAlert() {
        return "handshake_failure";
    }

    /** JSSE fails reading the list ("Insufficient space in the buffer...") and closes without an alert. */
    @Override
    String malformedExtensionAlert() {
        return null;
    }

    @Override
    String oversizedHelloAlert() {
        return "unexpected_message";
    }
}
