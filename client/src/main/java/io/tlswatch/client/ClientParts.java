package io.tlswatch.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tlswatch.client.ValidationRequest.Call;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.client.identity.Installation;
import io.tlswatch.client.identity.InstallationStore;
import io.tlswatch.client.report.RefusalClassifier;
import io.tlswatch.client.report.ReportDelivery;
import io.tlswatch.client.report.ReportSigner;
import io.tlswatch.client.report.ReportSpool;
import io.tlswatch.client.report.Reporter;
import io.tlswatch.client.state.VerdictStore;
import io.tlswatch.client.token.DpopProofs;
import io.tlswatch.client.token.EntitlementVerifier;
import io.tlswatch.client.token.Jwks;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;

/**
 * What a {@link LicenseClient} is made of, wired from its {@link LicenseClient.Builder}: the installation's
 * identity, the checks and their retries, the refresher, the heartbeats and the report delivery.
 */
final class ClientParts {

    final Installation installation;
    final Reporter reporter;
    final LicenseCheck exchanges;
    final RetryingCheck check;
    final Refresher refresher;
    final Heartbeats heartbeats;

    ClientParts(LicenseClient.Builder config, EntitlementTracker tracker) throws IOException, GeneralSecurityException {
        String base = withoutTrailingSlash(config.serverUrl.toString());
        ClientTls tls = config.sslContext != null
                ? ClientTls.of(config.sslContext, config.protocols, config.cipherSuites)
                : ClientTls.create(config.trustedCas, config.protocols, config.cipherSuites);
        HttpTransport http = new HttpTransport(tls, config.connectTimeout, config.readTimeout);
        ObjectMapper json = new ObjectMapper();
        this.installation = new InstallationStore(config.stateDirectory, json).loadOrCreate();
        Jwks jwks = new Jwks(http, URI.create(base + LicenseClient.JWKS_PATH), config.clock);
        EntitlementVerifier verifier = new EntitlementVerifier(jwks, config.issuer != null ? config.issuer : base,
                config.audience, installation.clientId(), installation.thumbprint(), config.clock);
        VerdictCache cache = new VerdictCache(new VerdictStore(config.stateDirectory, json, base, config.licenseKey),
                tracker, jwks, verifier);
        cache.restore();
        this.reporter = new Reporter(
                new ReportDelivery(http, config.collectorHttps, config.collectorHttp, new ReportSigner(installation)),
                new ReportSpool(config.stateDirectory.resolve("spool"), json, config.spoolCapacity), json,
                config.clock, config.reporting);
        ValidationRequest request = new ValidationRequest(http, json, new DpopProofs(installation, config.clock),
                base, config.licenseKey, installation.clientId(), config.entitlements);
        RefusalClassifier refusals = new RefusalClassifier();
        // Heartbeats start only after an answer, which needs the check below: this::beat reads it then.
        this.heartbeats = new Heartbeats(this::beat, config.clock, config.maxRetryInterval);
        this.exchanges = new LicenseCheck(request, json, config.clock, verifier, jwks, tracker, cache, refusals,
                config.refreshMargin, heartbeats);
        this.check = new RetryingCheck(exchanges, config.clock, tracker, refusals, reporter,
                new RetryingCheck.Report(json, installation.clientId(), http.tls(), config.appVersion),
                config.maxRetryInterval);
        this.refresher = new Refresher(check);
    }

    /** One heartbeat, on the heartbeat thread; true when the server answered it. */
    private boolean beat() {
        return check.attempt(Call.HEARTBEAT, exchanges::heartbeat) != null;
    }

    private static String withoutTrailingSlash(String text) {
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
