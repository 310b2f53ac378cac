package io.tlswatch.tlsserver.tls;

/**
 * A TLS setting the server refuses to start with. The message names the setting and the offending value, and is
 * meant to be shown to the operator as it is, without a stack trace.
 */
public class TlsConfigurationException extends RuntimeException {

    public TlsConfigurationException(String message) {
        super(message);
    }

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
