package io.tlswatch.validator;

import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.testing.LoopbackAbusers;
import io.tlswatch.tlsserver.testing.ScrapedSeries;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.tlsserver.tls.DevCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * All the network-level abuses at once, each from its own loopback address (Linux routes all of 127/8 to lo),
 * while a well-behaved client on 127.0.0.1 keeps asking: slow request heads, connections that never send a
 * ClientHello (half-open), a connection flood from one address, an oversized head and an oversized body. The
 * well-behaved client must get every answer, and each abuse must move its meter. Bounded: a few dozen sockets,
 * server timeouts of a second or two, everything over within seconds. The single abuses, one at a time and with their
 * exact answers and timings, are {@link ValidatorLimitsIT}'s.
 */
@ExtendWith(KafkaBrokerExtension.class)
class ValidatorAbuseIT {

    private static final Logger LOG = LoggerFactory.getLogger(ValidatorAbuseIT.class);
    private static final String JWKS = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    private static final int PER_ADDRESS = 4;
    private static final int FLOOD = 40;

    @Test
    void wellBehavedClientsAreServedWhileAbusersHoldSlowHeadsSilentConnectionsFloodsAndOversizedRequests(
            KafkaBroker broker, @TempDir Path certificates) throws Exception {
        DevCertificateFiles dev = new DevCertificates(certificates, DevCertificates.localHostNames(),
                Clock.systemUTC()).ensure();
        SSLContext trust = ClientSide.trusting(dev.caCertificate());
        Map<String, String> values = new HashMap<>();
        values.put("https.port", "0");
        values.put("admin.port", "0");
        values.put("server.host", "127.0.0.1");
        values.put("admin.host", "127.0.0.1");
        values.put("server.publicUrl", "https://localhost:8443");
        values.put("node.name", "abuse");
        values.put("tls.devCertificateDir", certificates.toString());
        values.put("kafka.bootstrap.servers", broker.bootstrapServers());
        // Short, but not so short that the well-behaved client's own handshake can meet the limit when the
        // machine is starved (a handshake the server times out after the client sent Finished reads as no answer).
        values.put("server.handshakeTimeout", "1500ms");
        values.put("server.requestTimeout", "1500ms");
        values.put("server.maxConnectionsPerAddress", String.valueOf(PER_ADDRESS));
        ExecutorService abusers = Executors.newFixedThreadPool(12);
        try (Validator validator = Validator.start(ValidatorConfig.from(ConfigSource.of(values)), Clock.systemUTC())) {
            LoopbackAbusers clients = LoopbackAbusers.tls(trust, validator.port());
            // given a server that has answered once (the first handshake of a JVM is slow)
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .until(() -> clients.exchange("127.0.0.1", JWKS).startsWith("HTTP/1.1 200"));
            ScrapedSeries before = ScrapedSeries.of(validator.meters().scrape());

            // when the abusers start
            List<CompletableFuture<String>> slowHeads = new ArrayList<>();
            List<CompletableFuture<String>> silent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slowHeads.add(CompletableFuture.supplyAsync(() -> clients.slowHead("127.0.0.2", "/v1/licenses/validate"), abusers));
                silent.add(CompletableFuture.supplyAsync(() -> clients.silent("127.0.0.3"), abusers));
            }
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> clients.flood("127.0.0.4", FLOOD),
                    abusers);
            CompletableFuture<String> bigHead = CompletableFuture.supplyAsync(() -> clients.exchange("127.0.0.5",
                    "GET /.well-known/jwks.json HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "a".repeat(9_000)
                            + "\r\n\r\n"), abusers);
            CompletableFuture<String> bigBody = CompletableFuture.supplyAsync(() -> clients.exchange("127.0.0.6",
                    "POST /v1/licenses/validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 10000000\r\nConnection: close\r\n\r\n{"), abusers);
            CompletableFuture<Void> all = CompletableFuture.allOf(CompletableFuture.allOf(slowHeads.toArray(
                    CompletableFuture[]::new)), CompletableFuture.allOf(silent.toArray(CompletableFuture[]::new)),
                    flood, bigHead, bigBody);

            // then the well-behaved client is answered all along
            List<Long> latenciesMillis = new ArrayList<>();
            int served = 0;
            while (!all.isDone() || served < 20) {
                long started = System.nanoTime();
                assertThat(clients.exchange("127.0.0.1", JWKS)).startsWith("HTTP/1.1 200 OK").contains("\"keys\"");
                latenciesMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                served++;
            }
            all.get(30, TimeUnit.SECONDS);
            latenciesMillis.sort(Long::compare);
            LOG.info("Served {} well-behaved requests during the abuse; latency median {} ms, max {} ms", served,
                    latenciesMillis.get(served / 2), latenciesMillis.get(served - 1));

            // and each abuser got what the limits promise
            slowHeads.forEach(r -> assertThat(r.join()).startsWith("HTTP/1.1 408"));
            silent.forEach(r -> assertThat(r.join()).isEmpty());
            assertThat(bigHead.join()).startsWith("HTTP/1.1 431");
            assertThat(bigBody.join()).startsWith("HTTP/1.1 413");
            int refused = flood.join();
            // (approximate: a connection taken in may also have met its timeout by the time it is read)
            LOG.info("Flood of {} connections from one address: {} seen closed at once", FLOOD, refused);
            assertThat(refused).as("flood connections closed at once").isGreaterThanOrEqualTo(FLOOD / 2);

            // and each abuse is visible in a meter
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ScrapedSeries after = ScrapedSeries.of(validator.meters().scrape());
                assertThat(after.movedSince(before, "tlswatch_http_timeouts_total")).as("request timeouts").isGreaterThanOrEqualTo(3);
                assertThat(after.movedSince(before, "tlswatch_handshakes_total{outcome=\"failure\"", "reason=\"handshake_timeout\""))
                        .as("handshake timeouts").isGreaterThanOrEqualTo(3);
                assertThat(after.movedSince(before, "tlswatch_connections_refused_total{limit=\"per_address\""))
                        .as("connections refused per address").isGreaterThanOrEqualTo(FLOOD - PER_ADDRESS);
                assertThat(after.movedSince(before, "tlswatch_http_rejected_total{reason=\"head_too_large\""))
                        .as("oversized heads").isEqualTo(1);
                assertThat(after.movedSince(before, "tlswatch_http_rejected_total{reason=\"body_too_large\""))
                        .as("oversized bodies").isEqualTo(1);
            });
        } finally {
            abusers.shutdownNow();
        }
    }
}
