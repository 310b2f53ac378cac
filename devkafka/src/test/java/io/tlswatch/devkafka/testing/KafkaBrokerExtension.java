package io.tlswatch.devkafka.testing;

import io.tlswatch.devkafka.EmbeddedKafka;
import io.tlswatch.contract.kafka.KafkaVersion;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * Gives a test a running Kafka broker, started once per test JVM and shared by every test class in it.
 *
 * <p>Where Docker runs and holds the {@code apache/kafka} image, the broker is a Testcontainers container;
 * elsewhere (this project's CI machines cannot pull images) it is {@link EmbeddedKafka}. The same tests run
 * against either. {@code -Dtlswatch.test.broker=container|embedded} forces one.
 *
 * <pre>{@code
 * @ExtendWith(KafkaBrokerExtension.class)
 * class SomethingIT {
 *     @Test void works(KafkaBroker broker) { ... }
 * }
 * }</pre>
 */
public final class KafkaBrokerExtension implements ParameterResolver {

    private static final Logger log = LoggerFactory.getLogger(KafkaBrokerExtension.class);
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBrokerExtension.class);
    private static final String KEY = "broker";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store lives as long as the test JVM's engine run, and closes what it holds at the end.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, key -> RunningBroker.start(), RunningBroker.class)
                .broker();
    }

    /** The broker and what stops it; closed by JUnit when the run ends. */
    static final class RunningBroker implements AutoCloseable {
        private final KafkaBroker broker;
        private final AutoCloseable stopper;

        private RunningBroker(KafkaBroker broker, AutoCloseable stopper) {
            this.broker = broker;
            this.stopper = stopper;
        }

        static RunningBroker start() {
            String image = "apache/kafka:" + KafkaVersion.current();
            String setting = System.getProperty(BrokerKind.PROPERTY, System.getenv(BrokerKind.ENVIRONMENT));
            boolean docker = dockerRunning();
            BrokerKind kind = BrokerKind.choose(setting, docker, docker && imagePresent(image));
            RunningBroker running = switch (kind) {
                case CONTAINER -> {
                    KafkaContainer container = new KafkaContainer(image);
                    container.start();
                    yield new RunningBroker(new KafkaBroker(kind, container.getBootstrapServers()), container::stop);
                }
                case EMBEDDED -> {
                    EmbeddedKafka kafka = EmbeddedKafka.start();
                    yield new RunningBroker(new KafkaBroker(kind, kafka.bootstrapServers()), kafka);
                }
            };
            log.info("Tests run against the {} (Docker {}, setting {})", running.broker, docker ? "running" : "absent",
                    setting == null ? "auto" : setting);
            return running;
        }

        KafkaBroker broker() {
            return broker;
        }

        @Override
        public void close() throws Exception {
            stopper.close();
        }

        private static boolean dockerRunning() {
            try {
                return DockerClientFactory.instance().isDockerAvailable();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        private static boolean imagePresent(String image) {
            try {
                DockerClientFactory.lazyClient().inspectImageCmd(image).exec();
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
