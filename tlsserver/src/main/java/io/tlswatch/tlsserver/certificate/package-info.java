/**
 * The certificate a TLS listener serves, replaced without a restart, with its OCSP response stapled.
 *
 * <p>Wiring a listener (the validator does exactly this):
 * <pre>{@code
 * CertificateSettings certs = CertificateSettings.from(config, "collector", tlsSettings.certificate());
 * CertificateLoader loader = CertificateLoader.create(certs, tlsSettings,
 *         new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of("http/1.1")),
 *         new KeyMaterialLoader(), clock);
 * CertificateCandidate.Accepted initial = CertificateManager.loadInitial(loader);   // TlsConfigurationException: refuse to start
 * // ... once the event sink exists:
 * CertificateManager manager = new CertificateManager(certs, loader, initial,
 *         new CertificateTelemetry(certs.name(), "collector@" + node, eventSink, meters, clock), clock);
 * manager.start();
 * // in the ChannelInitializer, per connection:
 * SslHandler ssl = manager.newHandler(ch.alloc());   // ServerTlsSource: current context and staple
 * // on shutdown:
 * manager.close();
 * }</pre>
 *
 * <p>Files are watched by {@code WatchedFiles} and {@code FileEvents}, checked by {@link
 * io.tlswatch.tlsserver.certificate.MaterialValidator}, OCSP responses checked by {@link
 * io.tlswatch.tlsserver.certificate.OcspResponseChecker}, events and meters raised by {@link
 * io.tlswatch.tlsserver.certificate.CertificateTelemetry}. Operator documentation: docs/tls.md ("Certificate
 * rotation", "OCSP stapling") and docs/operations.md.
 */
package io.tlswatch.tlsserver.certificate;
