package io.tlswatch.devkafka.testing;

import java.util.Locale;

/** Which broker the integration tests of this JVM run against. */
public enum BrokerKind {
    /** A Testcontainers {@code apache/kafka} container. */
    CONTAINER,
    /** {@link io.tlswatch.devkafka.EmbeddedKafka} in the test JVM. */
    EMBEDDED;

    /** The setting that forces a kind: {@code -Dtlswatch.test.broker=} or {@code TLSWATCH_TEST_BROKER}. */
    public static final String PROPERTY = "tlswatch.test.broker";
    public static final String ENVIRONMENT = "TLSWATCH_TEST_BROKER";

    /**
     * The choice: a forced kind wins; otherwise a container when Docker runs and already holds the image
     * (so a machine that cannot pull images never waits on a pull), else the embedded broker.
     *
     * @param setting       {@code auto}, {@code container}, {@code embedded}, or null for auto
     * @param dockerRunning whether a Docker engine answers
     * @param imagePresent  whether the Kafka image is already in that engine
     */
    public static BrokerKind choose(String setting, boolean dockerRunning, boolean imagePresent) {
        String value = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "container" -> CONTAINER;
            case "embedded" -> EMBEDDED;
            case "auto" -> dockerRunning && imagePresent ? CONTAINER : EMBEDDED;
            default -> throw new IllegalArgumentException(PROPERTY + " must be auto, container or embedded, was '"
                    + setting + "'");
        };
    }
}
