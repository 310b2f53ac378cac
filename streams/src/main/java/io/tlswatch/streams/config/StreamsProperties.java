package io.tlswatch.streams.config;

import org.apache.kafka.streams.StreamsConfig;

import java.util.Properties;

/**
 * The Kafka Streams configuration of the job: its own guarantees first (exactly-once v2, every internal
 * resource explicitly named), then whatever {@code kafka.*} passes through, then what the job's own keys set.
 */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    /** @param applicationServer this instance's {@code host:port} for interactive queries, or {@code null} */
    public static Properties of(PostureJobConfig config, String applicationServer) {
        Properties props = new Properties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // The internal topics are replicated like the job's own, unless kafka.replication.factor says otherwise.
        if (config.kafka().topics().replicationFactor() > 0) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.kafka().topics().replicationFactor());
        }
        props.putAll(config.kafka().passthrough());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        return props;
    }
}
