package io.tlswatch.streams.attribution;

/**
 * What the attribution step sends on: a client signal (keyed by client id), a fingerprint signal (keyed by
 * JA4) or a license signal (keyed by license id). Exactly one is set. Lives only between two processors of one
 * task; never serialised.
 */
public record Routed(ClientSignal client, FingerprintSignal fingerprint, LicenseSignal license) {

    public static Routed client(ClientSignal signal) {
        return new Routed(signal, null, null);
    }

    public static Routed fingerprint(FingerprintSignal signal) {
        return new Routed(null, signal, null);
    }

    public static Routed license(LicenseSignal signal) {
        return new Routed(null, null, signal);
    }
}
