package io.tlswatch.tlsserver.certificate;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tlswatch.tlsserver.tls.KeyMaterialLoader;
import io.tlswatch.tlsserver.tls.ServerSslContextFactory;
import io.tlswatch.tlsserver.tls.TlsPolicy;
import io.tlswatch.tlsserver.tls.TlsSettings;

import java.time.Clock;
import java.util.List;

/** A certificate manager with a real echo server in front of it, and what it reported. */
final class ManagedTlsServer implements AutoCloseable {

    final RecordingSink events = new RecordingSink();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final CertificateManager manager;
    final EchoTlsServer server;

    ManagedTlsServer(CertificateSettings settings, TlsSettings.ProviderPreference provider) throws Exception {
        Clock clock = Clock.systemUTC();
        TlsSettings tls = TlsSettings.mozillaIntermediate().withProvider(provider);
        CertificateLoader loader = CertificateLoader.create(settings, tls,
                new ServerSslContextFactory(new TlsPolicy(), new KeyMaterialLoader(), List.of()),
                new KeyMaterialLoader(), clock);
        manager = new CertificateManager(settings, loader, CertificateManager.loadInitial(loader),
                new CertificateTelemetry(settings.name(), "test@" + settings.name(), events, meters, clock), clock);
        manager.start();
        server = new EchoTlsServer(manager);
    }

    int port() {
        return server.port();
    }

    double counter(String name, String outcome) {
        var counter = meters.find(name).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        server.close();
        manager.close();
    }
}
