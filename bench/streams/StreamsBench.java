import io.tlswatch.contract.config.ConfigSource;
import io.tlswatch.contract.event.AlertEvent;
import io.tlswatch.contract.event.ClientHelloSummary;
import io.tlswatch.contract.event.Event;
import io.tlswatch.contract.event.FailureReason;
import io.tlswatch.contract.event.HandshakeEvent;
import io.tlswatch.contract.event.LicenseCheckCode;
import io.tlswatch.contract.event.LicenseCheckEvent;
import io.tlswatch.contract.event.NegotiatedTls;
import io.tlswatch.contract.event.ProofKind;
import io.tlswatch.contract.event.TlsProvider;
import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.kafka.TopicBootstrap;
import io.tlswatch.contract.topic.Topic;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.streams.config.PostureJobConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One instance of the posture job on the embedded broker, in this JVM:
 * <ol>
 *   <li>reference: the raw Kafka producer sends the event set (pre-serialised) to a plain topic, acks=all;</li>
 *   <li>throughput: the same number of events goes into the job's input topics while it runs; the clock stops
 *       when the job has consumed every input and repartition record (its committed offsets);</li>
 *   <li>latency: clients are made stuck one at a time; for each, the time from the event time of the failure
 *       that makes it stuck to the moment its alert is readable (read_committed) on the alerts topic.</li>
 * </ol>
 * Before 3, a warm-up of WARM_UP events of other clients (default: as many as measured) goes through the job,
 * so that what is measured is the compiled job, not the JIT at work. Step 3 also reports CPU time per event by
 * thread group (the stream thread, the job's producer I/O, the broker, the JIT, GC, RocksDB's native threads)
 * and the offsets the job wrote per input event to each internal and output topic.
 * Usage: java StreamsBench EVENTS LATENCY_CLIENTS [WARM_UP]
 */
public final class StreamsBench {

    private static final String JA4_MODERN = "t13d1516h2_8daaf6152771_02713d6af862";
    private static final String JA4_OLD = "t10d170700_3a4a2da7fd80_1dcd6a1a8c5f";

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int latencyClients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : events;
        Path data = Files.createTempDirectory("streams-bench");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults()
                .withDataDir(data.resolve("kafka")))) {
            run(kafka.bootstrapServers(), data, events, latencyClients, warmUp);
        }
    }

    private static void run(String bootstrap, Path data, int events, int latencyClients, int warmUp)
            throws Exception {
        KafkaSettings kafka = KafkaSettings.of(bootstrap);
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> values = new HashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "streams.applicationId", "bench" + suffix,
                "streams.stateDir", data.resolve("state").toString(),
                "admin.port", "0", "admin.host", "127.0.0.1", "admin.advertisedHost", "127.0.0.1",
                "alerts.minHold", "0s"));
        String commitInterval = System.getenv("BENCH_COMMIT_INTERVAL_MS");
        if (commitInterval != null) {
            values.put("kafka.commit.interval.ms", commitInterval);
        }
        for (String key : List.of("handshakes", "licenseChecks", "clientReports", "clientPosture",
                "fingerprintPosture", "alerts", "deadLetters")) {
            values.put("topics." + key, "bench-" + key + suffix);
        }
        PostureJobConfig config = PostureJobConfig.from(ConfigSource.of(values));
        Topic<String, byte[]> reference = Topics.STREAMS_DEAD_LETTERS.withName("bench-reference" + suffix);
        try (Admin admin = Admin.create(kafka.admin())) {
            List<Topic<String, ?>> all = new ArrayList<>(config.topics().all());
            all.add(reference);
            new TopicBootstrap(admin, Duration.ofSeconds(60)).ensure(all);
        }

        Instant base = Instant.now().minus(Duration.ofMinutes(20));
        List<ProducerRecord<String, byte[]>> records = fleet(config, base, events, "bench-client-", 10);
        List<ProducerRecord<String, byte[]>> warmUpRecords = fleet(config, base, warmUp, "warm-client-", 11);

        // 1. the reference: the raw producer alone
        long referenceNanos;
        try (KafkaProducer<String, byte[]> producer = producer(kafka)) {
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(new ProducerRecord<>(reference.name(), null, r.timestamp(), r.key(), r.value()));
            }
            producer.flush();
            referenceNanos = System.nanoTime() - start;
        }
        double producerRate = events / (referenceNanos / 1e9);

        try (PostureJob job = PostureJob.start(config);
             Admin admin = Admin.create(kafka.admin());
             KafkaProducer<String, byte[]> producer = producer(kafka)) {
            // 2. warm-up: the JIT compiles the job's paths on other clients before anything is measured
            long warmStart = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : warmUpRecords) {
                producer.send(r);
            }
            producer.flush();
            awaitDrained(admin, config.applicationId(), config, warmUp);
            long warmNanos = System.nanoTime() - warmStart;

            // 3. throughput through one instance, with CPU per thread group and records written
            Map<String, Long> offsetsBefore = endOffsets(admin, config);
            ThreadCpu cpuBefore = ThreadCpu.snapshot(config.applicationId());
            long start = System.nanoTime();
            for (ProducerRecord<String, byte[]> r : records) {
                producer.send(r);
            }
            producer.flush();
            long sent = System.nanoTime();
            awaitDrained(admin, config.applicationId(), config, events);
            long drained = System.nanoTime();
            ThreadCpu cpu = ThreadCpu.snapshot(config.applicationId()).minus(cpuBefore);
            Map<String, Long> written = delta(endOffsets(admin, config), offsetsBefore);
            double jobRate = events / ((drained - start) / 1e9);

            // 4. latency from a failure's event time to its alert
            List<Long> latencies = latency(kafka, config, producer, admin, latencyClients);
            latencies.sort(Long::compare);

            System.out.printf("events                       %,d (%d clients), commit.interval.ms %s%n", events,
                    events / 10, commitInterval == null ? "100 (default)" : commitInterval);
            System.out.printf("raw producer                 %,.0f events/s%n", producerRate);
            System.out.printf("posture job, one instance    %,.0f events/s (inputs sent in %.1f s, drained after %.1f s)%n",
                    jobRate, (sent - start) / 1e9, (drained - start) / 1e9);
            System.out.printf("ratio job / producer         %.3f%n", jobRate / producerRate);
            System.out.printf("warm-up                      %,d events first, drained in %.1f s%n", warmUp,
                    warmNanos / 1e9);
            System.out.printf("CPU per event (µs)           %s%n", cpu.perEvent(events));
            long internal = written.entrySet().stream().filter(e -> !isInput(e.getKey(), config))
                    .mapToLong(Map.Entry::getValue).sum();
            System.out.printf("offsets written per event    %.2f (records and commit markers) %s%n",
                    internal / (double) events, perEvent(written, config, events));
            if (latencies.isEmpty()) {
                // Said, not thrown: the throughput figures above stand on their own.
                System.out.printf("event time -> alert          no tls-outdated alert for the %d latency clients"
                        + " within 60 s%n", latencyClients);
            } else {
                System.out.printf("event time -> alert (n=%d)   p50 %d ms, p99 %d ms, max %d ms%n", latencies.size(),
                        percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1));
            }
        }
    }

    /** Ten events per client: a license check, then nine handshakes; one client in ten offers only TLS 1.0. */
    private static List<ProducerRecord<String, byte[]>> fleet(PostureJobConfig config, Instant base, int events,
                                                              String clientPrefix, int firstOctet) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events);
        int clients = Math.max(1, events / 10);
        for (int round = 0; round < 10; round++) {
            for (int c = 0; c < clients && records.size() < events; c++) {
                String address = firstOctet + "." + (c >> 16 & 255) + "." + (c >> 8 & 255) + "." + (c & 255);
                Instant time = base.plusMillis(round * 60_000L + c);
                Event e = round == 0 ? check(clientPrefix + c, address, time)
                        : c % 10 == 0 ? handshake(address, time, false) : handshake(address, time, true);
                records.add(record(config, e));
            }
        }
        return records;
    }

    private static List<Long> latency(KafkaSettings kafka, PostureJobConfig config,
                                      KafkaProducer<String, byte[]> producer, Admin admin, int clients)
            throws Exception {
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Topic<String, AlertEvent> alerts = config.topics().alerts();
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, AlertEvent> consumer = new KafkaConsumer<>(
                    kafka.consumer("bench-alerts-" + UUID.randomUUID()), alerts.keySerde().deserializer(),
                    alerts.valueSerde().deserializer())) {
                consumer.subscribe(List.of(alerts.name()));
                while (!stop.get()) {
                    consumer.poll(Duration.ofMillis(20)).forEach(r -> {
                        long now = System.currentTimeMillis();
                        arrived.putIfAbsent(r.key(), now - r.value().time().toEpochMilli());
                    });
                }
            }
        }, "bench-alert-reader");
        reader.start();
        // The clients check in first, so that their address is known when their failures come.
        Instant t = Instant.now();
        for (int c = 0; c < clients; c++) {
            // Seen with the old stack's JA4 (TLS 1.2 still allowed then): its later failures with it are its own,
            // not an unknown neighbour's (docs/posture.md, "A JA4 the one known client never used is not its").
            producer.send(record(config, check("latency-client-" + c, "172.16." + (c >> 8) + "." + (c & 255), t,
                    "TLSv1.2", JA4_OLD)));
        }
        producer.flush();
        awaitDrained(admin, config.applicationId(), config, 0);
        for (int c = 0; c < clients; c++) {
            String address = "172.16." + (c >> 8) + "." + (c & 255);
            // posture.stuckMinFailures (3) TLS 1.0-only ClientHellos make the client stuck (one only degrades
            // it): the third one's event time is the start.
            for (int failure = 0; failure < 3; failure++) {
                producer.send(record(config, handshake(address, Instant.now(), false)));
            }
            producer.flush();
            Thread.sleep(50);
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (countLatency(arrived) < clients && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        stop.set(true);
        reader.join();
        List<Long> result = new ArrayList<>();
        arrived.forEach((key, ms) -> {
            if (key.startsWith("tls-outdated:latency-client-")) {
                result.add(ms);
            }
        });
        return result;
    }

    private static long countLatency(Map<String, Long> arrived) {
        return arrived.keySet().stream().filter(k -> k.startsWith("tls-outdated:latency-client-")).count();
    }

    /** Waits until the job's committed offsets cover every record of its inputs and internal topics. */
    private static void awaitDrained(Admin admin, String group, PostureJobConfig config, int minimum)
            throws Exception {
        List<String> inputs = List.of(config.topics().handshakes().name(), config.topics().licenseChecks().name());
        long deadline = System.currentTimeMillis() + 600_000;
        while (System.currentTimeMillis() < deadline) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = latest.isEmpty() ? Map.of()
                    : admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                            IsolationLevel.READ_COMMITTED)).all().get();
            boolean inputsCovered = committed.keySet().stream().map(TopicPartition::topic).distinct()
                    .filter(inputs::contains).count() == inputs.size();
            boolean done = inputsCovered && !committed.isEmpty();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                long end = ends.get(e.getKey()).offset();
                boolean internal = !inputs.contains(e.getKey().topic());
                // A transactional (internal) partition ends with a commit marker the group never commits past.
                if (e.getValue().offset() < end - (internal ? 1 : 0)) {
                    done = false;
                }
            }
            if (done) {
                return;
            }
            if (System.getenv("BENCH_DEBUG") != null) {
                Map<String, Long> lag = new java.util.TreeMap<>();
                committed.forEach((tp, o) -> lag.merge(tp.topic(), ends.get(tp).offset() - o.offset(), Long::sum));
                System.out.println("DEBUG lag " + (System.currentTimeMillis() % 100000) + " " + lag);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the job did not drain its inputs within 10 minutes");
    }

    /** Every topic's end offset (summed over its partitions), but the bench's reference topic. */
    private static Map<String, Long> endOffsets(Admin admin, PostureJobConfig config) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (var description : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get()
                .values()) {
            if (description.name().startsWith("bench-reference")) {
                continue;
            }
            description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
                    OffsetSpec.latest()));
        }
        Map<String, Long> ends = new java.util.TreeMap<>();
        admin.listOffsets(latest).all().get().forEach((tp, info) -> ends.merge(tp.topic(), info.offset(), Long::sum));
        return ends;
    }

    private static Map<String, Long> delta(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> delta = new java.util.TreeMap<>();
        after.forEach((topic, end) -> {
            long written = end - before.getOrDefault(topic, 0L);
            if (written > 0) {
                delta.put(topic, written);
            }
        });
        return delta;
    }

    private static boolean isInput(String topic, PostureJobConfig config) {
        return topic.equals(config.topics().handshakes().name()) || topic.equals(config.topics().licenseChecks().name())
                || topic.equals(config.topics().clientReports().name());
    }

    /** Per topic, shortened to what follows the application id (internal topics) or the bench's topic prefix. */
    private static String perEvent(Map<String, Long> written, PostureJobConfig config, int events) {
        StringBuilder out = new StringBuilder();
        written.forEach((topic, n) -> {
            if (!isInput(topic, config)) {
                String name = topic.replace(config.applicationId() + "-", "").replace("-changelog", " (changelog)")
                        .replace("-repartition", " (repartition)").replaceAll("-[0-9a-f]{8}$", "");
                out.append(out.length() == 0 ? "\n    " : ", ").append(name)
                        .append(String.format(" %.2f", n / (double) events));
            }
        });
        return out.toString();
    }

    /**
     * CPU time per thread group: Java threads by name through the ThreadMXBean (full names), the JVM's and
     * RocksDB's native threads by their /proc name (the JIT, GC, RocksDB compaction and flush), and the rest of
     * the process as the difference with the process's own CPU time (/proc/self/stat).
     */
    record ThreadCpu(Map<String, Long> nanosByGroup) {

        private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ is 100 on Linux

        static ThreadCpu snapshot(String applicationId) throws java.io.IOException {
            Map<String, Long> groups = new java.util.LinkedHashMap<>();
            for (String group : List.of("stream threads", "job producer I/O", "broker", "JIT", "GC", "RocksDB",
                    "bench client", "other")) {
                groups.put(group, 0L);
            }
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long javaThreads = 0;
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    groups.merge(javaGroup(info.getThreadName(), applicationId), nanos, Long::sum);
                    javaThreads += nanos;
                }
            }
            long natives = 0;
            try (var tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : tasks.toList()) {
                    String comm;
                    long ticks;
                    try {
                        comm = Files.readString(task.resolve("comm")).trim();
                        ticks = ticks(Files.readString(task.resolve("stat")));
                    } catch (java.io.IOException gone) {
                        continue; // the thread ended meanwhile
                    }
                    String group = nativeGroup(comm);
                    if (group != null) {
                        groups.merge(group, ticks * NANOS_PER_TICK, Long::sum);
                        natives += ticks * NANOS_PER_TICK;
                    }
                }
            }
            long process = ticks(Files.readString(Path.of("/proc/self/stat"))) * NANOS_PER_TICK;
            groups.merge("other", Math.max(0, process - javaThreads - natives), Long::sum);
            groups.put("process", process);
            return new ThreadCpu(groups);
        }

        private static String javaGroup(String name, String applicationId) {
            if (name.startsWith("kafka-producer-network-thread")) {
                return name.contains(applicationId) ? "job producer I/O" : "bench client";
            }
            if (name.contains(applicationId) && (name.contains("StreamThread") || name.contains("StateUpdater"))) {
                return "stream threads";
            }
            if (name.startsWith("data-plane-kafka") || name.startsWith("kafka-") || name.startsWith("broker-")
                    || name.startsWith("quorum-controller") || name.startsWith("raft-") || name.contains("Reaper")
                    || name.startsWith("ReplicaFetcher") || name.startsWith("group-coordinator")
                    || name.startsWith("transaction-") || name.startsWith("controller-") || name.startsWith("kafka")
                    || name.startsWith("LogDirFailureHandler") || name.startsWith("share-")) {
                return "broker";
            }
            if (name.startsWith("bench")) {
                return "bench client";
            }
            return "other";
        }

        /** The group of a native (non-Java) thread, or null for a Java thread (counted through the MXBean). */
        private static String nativeGroup(String comm) {
            if (comm.startsWith("C1 Compiler") || comm.startsWith("C2 Compiler")) {
                return "JIT";
            }
            if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")
                    || comm.startsWith("VM Periodic")) {
                return "GC";
            }
            if (comm.startsWith("rocksdb")) {
                return "RocksDB";
            }
            return null;
        }

        /** utime + stime, fields 14 and 15 of a stat line (counted after the parenthesised name). */
        private static long ticks(String stat) {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }

        ThreadCpu minus(ThreadCpu before) {
            Map<String, Long> delta = new java.util.LinkedHashMap<>();
            nanosByGroup.forEach((group, nanos) -> delta.put(group, nanos - before.nanosByGroup.getOrDefault(group, 0L)));
            return new ThreadCpu(delta);
        }

        String perEvent(int events) {
            StringBuilder out = new StringBuilder();
            nanosByGroup.forEach((group, nanos) -> out.append(out.length() == 0 ? "" : ", ").append(group)
                    .append(String.format(" %.0f", nanos / 1_000.0 / events)));
            return out.toString();
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static KafkaProducer<String, byte[]> producer(KafkaSettings kafka) {
        Map<String, Object> props = kafka.producer("bench");
        props.put("linger.ms", "5");
        return new KafkaProducer<>(props, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    @SuppressWarnings("unchecked")
    private static ProducerRecord<String, byte[]> record(PostureJobConfig config, Event e) {
        Topic<String, Event> topic = (Topic<String, Event>) (Topic<String, ?>) (e instanceof HandshakeEvent
                ? config.topics().handshakes() : config.topics().licenseChecks());
        return new ProducerRecord<>(topic.name(), null, e.time().toEpochMilli(), e.key(),
                topic.valueSerde().serializer().serialize(topic.name(), e));
    }

    private static LicenseCheckEvent check(String clientId, String address, Instant time) {
        return check(clientId, address, time, "TLSv1.3", JA4_MODERN);
    }

    private static LicenseCheckEvent check(String clientId, String address, Instant time, String tls, String ja4) {
        return LicenseCheckEvent.builder().time(time).source("validator@bench").clientId(clientId)
                .licenseId("lic-bench").code(LicenseCheckCode.VALID).proof(ProofKind.DPOP)
                .tokenExpiresAt(time.plus(Duration.ofMinutes(15))).graceUntil(time.plus(Duration.ofDays(3)))
                .connection(address, tls, "TLSv1.3".equals(tls) ? "TLS_AES_256_GCM_SHA384"
                        : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", ja4).latencyMillis(1.0).build();
    }

    private static HandshakeEvent handshake(String address, Instant time, boolean modern) {
        HandshakeEvent.Builder b = HandshakeEvent.builder().time(time).source("validator@bench").remote(address, 40_000)
                .listener("validator", 8443).tlsProvider(TlsProvider.OPENSSL).durationMillis(2.5)
                .clientHello(ClientHelloSummary.builder().legacyVersion(modern ? "TLSv1.2" : "TLSv1")
                        .supportedVersions(modern ? List.of("TLSv1.3", "TLSv1.2") : List.of())
                        .cipherSuites(List.of("TLS_AES_128_GCM_SHA256")).extensions(List.of(0, 10, 11, 43))
                        .highestOfferedVersion(modern ? "TLSv1.3" : "TLSv1")
                        .ja3("771,4865,0-10-11-43,,", "0123456789abcdef0123456789abcdef")
                        .ja4(modern ? JA4_MODERN : JA4_OLD, "raw").build());
        return modern ? b.success(new NegotiatedTls("TLSv1.3", "TLS_AES_128_GCM_SHA256", "x25519", null, false, null))
                .build()
                : b.failure(FailureReason.PROTOCOL_VERSION, "no protocols available").build();
    }
}
