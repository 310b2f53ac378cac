import io.tlswatch.contract.event.Arrival;
import io.tlswatch.contract.event.ClientReportEvent;
import io.tlswatch.contract.event.RuntimeInfo;
import io.tlswatch.contract.event.TlsStack;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for bench/collector-vs-producer.sh. Prints one line: {@code reports_per_s=<n> errors=<n>}.
 *
 * <pre>
 *   http --url=http://127.0.0.1:8080/v1/reports --batch=100 --threads=8 --seconds=10
 *       reports acknowledged (202) per second, each thread posting one request at a time over keep-alive
 *       (JDK HttpClient, HTTP/1.1), each request a batch of N reports (N=1: one report per request)
 *   raw --bootstrap=localhost:9092 --seconds=10 --inflight=20000
 *       the same events written straight to tlswatch.client-reports.v1 by a KafkaProducer with the collector's
 *       settings (acks=all, idempotent, linger.ms=2, batch.size=256 KiB), at most --inflight unacknowledged; acknowledged per second
 * </pre>
 */
public final class CollectorLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--")) {
                String[] kv = arg.substring(2).split("=", 2);
                options.put(kv[0], kv.length > 1 ? kv[1] : "true");
            }
        }
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "0"));
        switch (args[0]) {
            case "http" -> http(URI.create(options.get("url")), Integer.parseInt(options.getOrDefault("batch", "1")),
                    Integer.parseInt(options.getOrDefault("threads", "8")), warmup, seconds);
            case "raw" -> raw(options.get("bootstrap"), Integer.parseInt(options.getOrDefault("inflight", "20000")),
                    warmup, seconds);
            default -> throw new IllegalArgumentException("http or raw");
        }
    }

    /** A random report id; not UUID.randomUUID(), whose shared SecureRandom would make the load threads queue. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    static String report(String clientId) {
        return "{\"reportId\": \"" + newId() + "\", \"clientId\": \"" + clientId + "\", \"licenseId\": \"lic-0042\","
                + " \"occurredAt\": \"" + Instant.now() + "\", \"endpoint\": \"https://licenses.example.com/v1/licenses/validate\","
                + " \"errorClass\": \"tls.version_or_cipher_mismatch\","
                + " \"message\": \"javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version\","
                + " \"runtime\": {\"name\": \"Java(TM) SE Runtime Environment\", \"version\": \"1.7.0_80-b15\", \"vendor\": \"Oracle Corporation\"},"
                + " \"tls\": {\"library\": \"SunJSSE\", \"version\": \"1.7\", \"enabledProtocols\": [\"TLSv1\"],"
                + " \"enabledCipherSuites\": [\"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA\"]},"
                + " \"os\": \"Windows Server 2008 R2 6.1 amd64\", \"appVersion\": \"4.12.3\"}";
    }

    static void http(URI uri, int batch, int threads, int warmup, int seconds) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong acked = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            String clientPrefix = "bench-" + UUID.randomUUID() + "-";
            workers[t] = new Thread(() -> {
                int n = 0;
                while (running.get()) {
                    StringBuilder body = new StringBuilder(batch > 1 ? "{\"reports\": [" : "");
                    for (int i = 0; i < batch; i++) {
                        // many clients, so that the per-client limit does not enter the measurement
                        body.append(i > 0 ? "," : "").append(report(clientPrefix + (n++ % 1000)));
                    }
                    body.append(batch > 1 ? "]}" : "");
                    try {
                        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() == 202) {
                            acked.addAndGet(batch);
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            workers[t].start();
        }
        // The first seconds warm this JVM's JIT up; only what follows is measured.
        Thread.sleep(warmup * 1000L);
        long before = acked.get();
        long errorsBefore = errors.get();
        long begin = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = acked.get() - before;
        double elapsed = (System.nanoTime() - begin) / 1e9;
        running.set(false);
        for (Thread worker : workers) {
            worker.join(30_000);
        }
        System.out.printf("reports_per_s=%.0f errors=%d%n", count / elapsed, errors.get() - errorsBefore);
    }

    static void raw(String bootstrap, int inflight, int warmup, int seconds) throws Exception {
        Map<String, Object> props = KafkaSettings.of(bootstrap).producer("bench-raw");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Semaphore permits = new Semaphore(inflight);
        AtomicLong acked = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        String clientPrefix = "bench-raw-" + UUID.randomUUID() + "-";
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            producer.partitionsFor(Topics.CLIENT_REPORTS.name());
            long warmEnd = System.nanoTime() + warmup * 1_000_000_000L;
            long begin = -1;
            long before = 0;
            long end = warmEnd + seconds * 1_000_000_000L;
            long countAtEnd;
            int n = 0;
            long t;
            while ((t = System.nanoTime()) < end) {
                if (begin < 0 && t >= warmEnd) {
                    begin = t;
                    before = acked.get();
                }
                permits.acquire();
                Instant now = Instant.now();
                // The event the collector would write for the same report, serialised the same way.
                ClientReportEvent event = ClientReportEvent.builder().time(now).source("collector@bench")
                        .reportId(newId()).clientId(clientPrefix + (n++ % 1000)).licenseId("lic-0042")
                        .occurredAt(now).receivedAt(now).endpoint("https://licenses.example.com/v1/licenses/validate")
                        .error("tls.version_or_cipher_mismatch",
                                "javax.net.ssl.SSLHandshakeException: Received fatal alert: protocol_version")
                        .runtime(new RuntimeInfo("Java(TM) SE Runtime Environment", "1.7.0_80-b15", "Oracle Corporation"))
                        .tls(new TlsStack("SunJSSE", "1.7", List.of("TLSv1"), List.of("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")))
                        .os("Windows Server 2008 R2 6.1 amd64").appVersion("4.12.3").remoteAddress("127.0.0.1")
                        .arrival(new Arrival("http", null, null, null)).flags(List.of()).build();
                byte[] value = Topics.CLIENT_REPORTS.valueSerde().serializer().serialize(Topics.CLIENT_REPORTS.name(), event);
                producer.send(new ProducerRecord<>(Topics.CLIENT_REPORTS.name(), event.key(), value), (m, e) -> {
                    permits.release();
                    if (e == null) {
                        acked.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                });
            }
            countAtEnd = acked.get() - before;
            double elapsed = (System.nanoTime() - begin) / 1e9;
            System.out.printf("reports_per_s=%.0f errors=%d%n", countAtEnd / elapsed, errors.get());
        }
    }
}
