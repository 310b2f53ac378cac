package io.tlswatch.tlsserver.proxy;

/** Whether a listener reads a PROXY protocol header ({@code server.proxyProtocol}). */
public enum ProxyMode {
    /** No header is read: a header that arrives is the client's first bytes (and fails as not TLS or not HTTP). */
    OFF,
    /** A header from a trusted proxy is read; a connection without one is taken as a direct client's. */
    OPTIONAL,
    /** Every connection must start with a header from a trusted proxy; any other is refused. */
    REQUIRED
}
