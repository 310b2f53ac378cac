package io.tlswatch.contract.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of the Kafka client library on the classpath, read from the file Kafka ships for it. */
public final class KafkaVersion {

    private static final String RESOURCE = "/kafka/kafka-version.properties";

    private KafkaVersion() {
    }

    /** For example {@code 4.4.0}; {@code unknown} if the jar does not carry its version file. */
    public static String current() {
        // Kafka's own AppInfoParser is internal API (it moved packages in 4.x); its resource file is stable.
        try (InputStream in = org.apache.kafka.clients.admin.Admin.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
