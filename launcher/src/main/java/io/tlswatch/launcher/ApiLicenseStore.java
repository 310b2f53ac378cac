package io.tlswatch.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdminException;
import io.tlswatch.validator.license.LicenseAdminException.Kind;
import io.tlswatch.validator.license.StatusChange;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@link LicenseStore} over the validator's admin API (docs/api.md, "Admin API"): HTTPS, a bearer token, and the
 * API's errors turned into the command's exit codes (404: 3, 409: 4, 400/422: 2, anything else: 1).
 */
final class ApiLicenseStore implements LicenseStore {

    private final HttpClient http;
    private final URI base;
    private final String token;
    private final Duration timeout;

    /** @param ca a PEM file of the CA to trust, or null for the JDK's trust store */
    ApiLicenseStore(URI base, String token, Path ca, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (ca != null) {
            builder.sslContext(trusting(ca));
        }
        this.http = builder.build();
    }

    @Override
    public IssuedLicense issue(String customer, String plan, List<String> entitlements, int maxMachines,
                               Instant notBefore, Instant notAfter, Duration grace) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("customer", customer);
        body.put("plan", plan);
        body.put("entitlements", entitlements);
        body.put("maxMachines", maxMachines);
        body.put("notBefore", notBefore == null ? null : notBefore.toString());
        body.put("notAfter", notAfter == null ? null : notAfter.toString());
        body.put("gracePeriod", grace == null ? null : grace.toString());
        body.values().removeIf(v -> v == null);
        JsonNode answer = call("POST", "/v1/admin/licenses", body);
        return new IssuedLicense(license(answer.get("license")), answer.get("licenseKey").asText());
    }

    @Override
    public StatusChange revoke(String licenseId, String reason) {
        return change(licenseId, "revoke", reason);
    }

    @Override
    public StatusChange suspend(String licenseId, String reason) {
        return change(licenseId, "suspend", reason);
    }

    @Override
    public StatusChange resume(String licenseId, String reason) {
        return change(licenseId, "resume", reason);
    }

    @Override
    public List<LicenseRecord> list() {
        List<LicenseRecord> licenses = new ArrayList<>();
        call("GET", "/v1/admin/licenses", null).get("licenses").forEach(l -> licenses.add(license(l)));
        return licenses;
    }

    /** The key is hashed here: it never leaves this machine. */
    @Override
    public Optional<LicenseRecord> findByKey(String licenseKey) {
        String hash = LicenseRecord.keyHashOf(licenseKey);
        return list().stream().filter(l -> l.keyHash().equals(hash)).findFirst();
    }

    @Override
    public void close() {
        // The JDK client holds no connection worth closing for one command.
    }

    private StatusChange change(String licenseId, String action, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        JsonNode answer = call("POST", "/v1/admin/licenses/" + URLEncoder.encode(licenseId, StandardCharsets.UTF_8)
                .replace("+", "%20") + "/" + action, body);
        return new StatusChange(LicenseRecordStatus.valueOf(answer.get("previousStatus").asText()
                .toUpperCase(Locale.ROOT)), license(answer.get("license")), answer.get("written").asBoolean());
    }

    private JsonNode call(String method, String path, Map<String, Object> body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Authorization", "Bearer " + token);
        try {
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofByteArray(Json.writer().writeValueAsBytes(body)));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = response.body().isEmpty() ? null : Json.reader().readTree(response.body());
            if (response.statusCode() / 100 == 2 && answer != null) {
                return answer;
            }
            throw refusal(response.statusCode(), answer);
        } catch (IOException e) {
            throw new LicenseAdminException(Kind.KAFKA, "no answer from the admin API at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LicenseAdminException(Kind.KAFKA, "interrupted while calling the admin API at " + base, e);
        }
    }

    private static LicenseAdminException refusal(int status, JsonNode answer) {
        JsonNode error = answer == null ? null : answer.get("error");
        String text = error == null ? "HTTP " + status : status + " " + error.path("code").asText() + ": "
                + error.path("message").asText() + (error.has("field") ? " (" + error.get("field").asText() + ")" : "");
        Kind kind = switch (status) {
            case 404 -> Kind.NOT_FOUND;
            case 409 -> Kind.REFUSED;
            case 400, 422 -> Kind.INVALID;
            default -> Kind.KAFKA;
        };
        return new LicenseAdminException(kind, "admin API: " + text);
    }

    private static LicenseRecord license(JsonNode node) {
        try {
            return Json.readerFor(LicenseRecord.class).readValue(node);
        } catch (IOException e) {
            throw new LicenseAdminException(Kind.KAFKA, "the admin API answered a license this version cannot read: "
                    + e.getMessage(), e);
        }
    }

    private static SSLContext trusting(Path caPem) {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new LicenseAdminException(Kind.INVALID, "--ca " + caPem + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new LicenseAdminException(Kind.INVALID, "--ca " + caPem + " cannot be read as PEM: "
                    + e.getMessage(), e);
        }
    }
}
