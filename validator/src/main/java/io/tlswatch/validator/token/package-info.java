/**
 * Entitlement tokens and proof of possession (docs/tokens.md).
 *
 * <ul>
 *   <li>{@link io.tlswatch.validator.token.SigningKeys}: the key ring (current key, staged next key, retired
 *       keys still published), rotation and the public JWKS.</li>
 *   <li>{@link io.tlswatch.validator.token.SigningKeyFile}: the key file ({@code token.keyFile}), edited for
 *       rotation with overlap by {@link io.tlswatch.validator.token.KeyFileEdits} ({@code tlswatch keys}) and
 *       reloaded on change by {@link io.tlswatch.validator.token.SigningKeyFileWatcher}.</li>
 *   <li>{@link io.tlswatch.validator.token.TokenIssuer}: signs an entitlement token for an
 *       {@link io.tlswatch.validator.token.EntitlementGrant}.</li>
 *   <li>{@link io.tlswatch.validator.token.TokenVerifier}: verifies this server's tokens strictly and checks
 *       their binding; answers a {@link io.tlswatch.validator.token.TokenVerification}.</li>
 *   <li>{@link io.tlswatch.validator.token.DpopVerifier}: checks an RFC 9449 DPoP proof against a request,
 *       with a bounded {@link io.tlswatch.validator.token.ReplayCache}; answers a
 *       {@link io.tlswatch.validator.token.DpopVerification} whose key thumbprint the token is bound to.</li>
 * </ul>
 *
 * Untrusted input meets one bounded JSON parser ({@code CompactJws}); Nimbus JOSE+JWT is used for keys and
 * signatures only. Nothing here throws on bad input: results are typed.
 */
package io.tlswatch.validator.token;
