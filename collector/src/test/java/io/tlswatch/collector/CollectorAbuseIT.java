package io.tlswatch.collector;

import io.tlswatch.devkafka.testing.KafkaBroker;
import io.tlswatch.devkafka.testing.KafkaBrokerExtension;
import io.tlswatch.tlsserver.testing.LoopbackAbusers;
import io.tlswatch.tlsserver.testing.ScrapedSeries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * All the network-level abuses at once against the collector's HTTP listener, each from its own loopback
 * address (Linux routes all of 127/8 to lo), while a well-behaved client on 127.0.0.1 keeps sending reports:
 * slow request heads, silent (half-open) connections, a connection flood from one address, an oversized head
 * and an oversized body. Every report of the well-behaved client must be acknowledged (202), and each abuse
 * must move its meter. Bounded: a few dozen sockets, sub-second server timeouts.
 */
@ExtendWith(KafkaBrokerExtension.class)
class CollectorAbuseIT {

    private static final Logger LOG = LoggerFactory.getLogger(CollectorAbuseIT.class);
    private static final int PER_ADDRESS = 4;
    private static final int FLOOD = 40;
    private static final int SILENT = 3;

    @Test
    void wellBehavedClientsAreServedWhileAbusersHoldSlowHeadsSilentConnectionsFloodsAndOversizedRequests(
            KafkaBroker broker) throws Exception {
        ExecutorService abusers = Executors.newFixedThreadPool(12);
        try (Collector collector = CollectorLimitsIT.start(broker, Map.of(
                "server.requestTimeout", "600ms",
                "server.idleTimeout", "1500ms",
                "server.maxConnectionsPerAddress", String.valueOf(PER_ADDRESS)))) {
            LoopbackAbusers clients = LoopbackAbusers.plain(collector.httpPort());
            assertThat(clients.exchange("127.0.0.1", report())).startsWith("HTTP/1.1 202");
            ScrapedSeries before = ScrapedSeries.of(collector.meters().scrape());

            // when the abusers start
            List<CompletableFuture<String>> slowHeads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                slowHeads.add(CompletableFuture.supplyAsync(() -> clients.slowHead("127.0.0.2", "/v1/reports"), abusers));
            }
            List<Socket> silent = new ArrayList<>();
            for (int i = 0; i < SILENT; i++) {
                silent.add(clients.tcp("127.0.0.3"));
            }
            CompletableFuture<Integer> flood = CompletableFuture.supplyAsync(() -> clients.flood("127.0.0.4", FLOOD),
                    abusers);
            CompletableFuture<String> bigHead = CompletableFuture.supplyAsync(() -> clients.exchange("127.0.0.5",
                    "POST /v1/reports HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + "a".repeat(9_000) + "\r\n\r\n"),
                    abusers);
            CompletableFuture<String> bigBody = CompletableFuture.supplyAsync(() -> clients.exchange("127.0.0.6",
                    "POST /v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100000000\r\nConnection: close\r\n\r\n{"), abusers);
            CompletableFuture<Void> all = CompletableFuture.allOf(CompletableFuture.allOf(slowHeads.toArray(
                    CompletableFuture[]::new)), flood, bigHead, bigBody);

            // then the silent connections are held (and seen) until the idle timeout closes them
            await().atMost(Duration.ofSeconds(5)).until(() -> ScrapedSeries.of(collector.meters().scrape())
                    .movedSince(before, "tlswatch_connections_active{listener=\"collector-http\"") >= SILENT);

            // and the well-behaved client has every report acknowledged meanwhile
            List<Long> latenciesMillis = new ArrayList<>();
            int served = 0;
            while (!all.isDone() || served < 20) {
                long started = System.nanoTime();
                assertThat(clients.exchange("127.0.0.1", report())).startsWith("HTTP/1.1 202");
                latenciesMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
                served++;
            }
            all.get(30, TimeUnit.SECONDS);
            latenciesMillis.sort(Long::compare);
            LOG.info("Acknowledged {} well-behaved reports during the abuse; latency median {} ms, max {} ms", served,
                    latenciesMillis.get(served / 2), latenciesMillis.get(served - 1));
            for (Socket socket : silent) {
                assertThat(LoopbackAbusers.readUntilClosed(socket)).as("closed by the idle timeout").isEmpty();
                socket.close();
            }

            // and each abuser got what the limits promise
            slowHeads.forEach(r -> assertThat(r.join()).startsWith("HTTP/1.1 408"));
            assertThat(bigHead.join()).startsWith("HTTP/1.1 431");
            assertThat(bigBody.join()).startsWith("HTTP/1.1 413");
            int refused = flood.join();
            // (approximate: a connection taken in may also have met its timeout by the time it is read)
            LOG.info("Flood of {} connections from one address: {} seen closed at once", FLOOD, refused);
            assertThat(refused).as("flood connections closed at once").isGreaterThanOrEqualTo(FLOOD / 2);

            // and each abuse is visible in a meter
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ScrapedSeries after = ScrapedSeries.of(collector.meters().scrape());
                assertThat(after.movedSince(before, "tlswatch_http_timeouts_total{listener=\"collector-http\""))
                        .as("request timeouts").isGreaterThanOrEqualTo(3);
                assertThat(after.movedSince(before, "tlswatch_connections_refused_total{", "limit=\"per_address\""))
                        .as("connections refused per address").isGreaterThanOrEqualTo(FLOOD - PER_ADDRESS);
                assertThat(after.movedSince(before, "tlswatch_collector_reports_total{", "outcome=\"head_too_large\""))
                        .as("oversized heads").isEqualTo(1);
                assertThat(after.movedSince(before, "tlswatch_collector_reports_total{", "outcome=\"body_too_large\""))
                        .as("oversized bodies").isEqualTo(1);
                assertThat(after.movedSince(before, "tlswatch_connections_active{listener=\"collector-http\""))
                        .as("connections still open").isLessThanOrEqualTo(0);
            });
        } finally {
            abusers.shutdownNow();
        }
    }

    private static String report() {
        String body = ReportJson.report(ReportJson.newId(), "abuse-it-client");
        return "POST /v1/reports HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
    }
}
