package io.tlswatch.streams.attribution;

/**
 * How many handshakes not attributable yet are held for a later attribution ({@link PendingHandshakes}).
 *
 * @param perAddress per remote address, the newest ({@code attribution.pendingPerAddress})
 * @param total      per task, i.e. per partition of the by-address topic ({@code attribution.pendingMax}); beyond
 *                   it new ones are not held
 */
public record PendingBounds(int perAddress, int total) {
}
