package io.tlswatch.streams.topology;

/**
 * An input record after parsing: the event, or the reason its bytes are poison. Lives only between two
 * processors of one task; never serialised.
 */
public record Parsed<V>(V value, byte[] raw, String reason) {

    public static <V> Parsed<V> ok(V value) {
        return new Parsed<>(value, null, null);
    }

    public static <V> Parsed<V> poison(byte[] raw, String reason) {
        return new Parsed<>(null, raw, reason);
    }

    public boolean isPoison() {
        return reason != null;
    }
}
