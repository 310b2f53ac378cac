/**
 * ClientHello parsing and TLS client fingerprints (JA3, JA4), shared by the validator and the collector.
 *
 * <p>{@link io.tlswatch.common.tls.ClientHelloParser} turns untrusted bytes into a
 * {@link io.tlswatch.common.tls.ParseResult}: a {@link io.tlswatch.common.tls.ClientHello} or a typed
 * {@link io.tlswatch.common.tls.ParseError}, never an exception. {@link io.tlswatch.common.tls.Ja3} and
 * {@link io.tlswatch.common.tls.Ja4} fingerprint a parsed hello; {@link io.tlswatch.common.tls.CipherSuites},
 * {@link io.tlswatch.common.tls.NamedGroups}, {@link io.tlswatch.common.tls.SignatureSchemes},
 * {@link io.tlswatch.common.tls.ExtensionTypes} and {@link io.tlswatch.common.tls.TlsVersion} name its code
 * points. The package depends on the JDK only (no Netty), so that any module can use it. See
 * {@code docs/fingerprints.md}.
 */
package io.tlswatch.common.tls;
