package io.tlswatch.streams.attribution;

/**
 * What the attribution step sends on: a client signal (keyed by client id) or a fingerprint signal (keyed by
 * JA4). Exactly one is set. Lives only between two processors of one task; never serialised.
 */
public record Routed(ClientSignal client, FingerprintSignal fingerprint) {

    public static Routed client(ClientSignal signal) {
        return new Routed(signal, null);
    }

    public static Routed fingerprint(FingerprintSignal signal) {
        return new Routed(null, signal);
    }
}
