/**
 * ClientHello parsing and TLS client fingerprints (JA3, JA4), shared by the validator and the collector.
 *
 * <p>{@link io.tlswatch.tlsserver.clienthello.ClientHelloParser} turns untrusted bytes into a
 * {@link io.tlswatch.tlsserver.clienthello.ParseResult}: a {@link io.tlswatch.tlsserver.clienthello.ClientHello} or a typed
 * {@link io.tlswatch.tlsserver.clienthello.ParseError}, never an exception. {@link io.tlswatch.tlsserver.clienthello.Ja3} and
 * {@link io.tlswatch.tlsserver.clienthello.Ja4} fingerprint a parsed hello; {@link io.tlswatch.tlsserver.clienthello.CipherSuites},
 * {@link io.tlswatch.tlsserver.clienthello.NamedGroups}, {@link io.tlswatch.tlsserver.clienthello.SignatureSchemes},
 * {@link io.tlswatch.tlsserver.clienthello.ExtensionTypes} and {@link io.tlswatch.tlsserver.clienthello.TlsVersion} name its code
 * points. The package depends on the JDK only (no Netty), so that any module can use it. See
 * {@code docs/fingerprints.md}.
 */
package io.tlswatch.tlsserver.clienthello;
