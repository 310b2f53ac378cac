package io.tlswatch.tlsserver.proxy;

import java.util.Locale;

/** What became of a connection's PROXY header: the {@code outcome} tag of {@code tlswatch.proxy.headers}. */
public enum ProxyOutcome {
    /** A trusted proxy named the client: the connection is recorded and limited as that client's. */
    ACCEPTED(false),
    /** A trusted proxy's v2 LOCAL header (its own health check): the connection is the proxy's. */
    LOCAL(false),
    /** A trusted proxy relayed a client it could not name (v1 UNKNOWN, v2 UNSPEC or UNIX): kept as the proxy's. */
    UNSPECIFIED(false),
    /** No header, in optional mode: a direct client. */
    DIRECT(false),
    /** A header from a peer not in {@code server.trustedProxies}: refused. */
    UNTRUSTED(true),
    /** No header, in required mode: refused. */
    MISSING(true),
    /** A header that could not be decoded, or a connection that ended inside one: refused. */
    MALFORMED(true);

    private final boolean refused;

    ProxyOutcome(boolean refused) {
        this.refused = refused;
    }

    /** Whether the connection is closed for it. */
    public boolean refused() {
        return refused;
    }

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
