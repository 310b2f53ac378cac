package io.tlswatch.devkafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of a secured node (SASL_SSL with SCRAM-SHA-512 for clients, ACLs, one super user) and of the clients
 * that reach it.
 *
 * <p>The broker talks to its own controller and to itself over PLAINTEXT listeners bound to localhost, whose
 * (anonymous) principal is a super user as well: SCRAM cannot authenticate a controller connection, and its users
 * only exist once the node runs. Clients are expected on the SASL_SSL listener only.
 */
public final class BrokerSecurity {

    /** The listener clients use; the only one advertised. */
    public static final String CLIENT_LISTENER = "CLIENT";
    /** The broker's own listener, PLAINTEXT on localhost. */
    public static final String INTERNAL_LISTENER = "INTERNAL";
    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String SCRAM_LOGIN = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final String INTERNAL_PRINCIPAL = "User:ANONYMOUS";

    private final Security security;
    private final SelfSignedKeystore keystore;

    public BrokerSecurity(Security security, SelfSignedKeystore keystore) {
        if (!security.enabled()) {
            throw new IllegalArgumentException("security is off");
        }
        this.security = security;
        this.keystore = keystore;
    }

    /** With security on, generates the node's key and certificate into {@code dataDir}; empty when off. */
    public static Optional<BrokerSecurity> prepare(Security security, Path dataDir) {
        if (!security.enabled()) {
            return Optional.empty();
        }
        return Optional.of(new BrokerSecurity(security, SelfSignedKeystore.generate(dataDir.resolve("security"))));
    }

    /**
     * The listeners, TLS, SASL and authorizer settings of a node whose clients come in on {@code clientPort} and
     * whose broker and controller talk over {@code internalPort} and the {@code controllerListener}.
     */
    public Map<String, String> brokerConfig(int clientPort, int internalPort, String controllerListener,
                                            int controllerPort) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("listeners", CLIENT_LISTENER + "://localhost:" + clientPort + "," + INTERNAL_LISTENER + "://localhost:"
                + internalPort + "," + controllerListener + "://localhost:" + controllerPort);
        c.put("advertised.listeners", CLIENT_LISTENER + "://localhost:" + clientPort + "," + INTERNAL_LISTENER
                + "://localhost:" + internalPort);
        c.put("inter.broker.listener.name", INTERNAL_LISTENER);
        c.put("listener.security.protocol.map", CLIENT_LISTENER + ":SASL_SSL," + INTERNAL_LISTENER + ":PLAINTEXT,"
                + controllerListener + ":PLAINTEXT");
        String client = "listener.name." + CLIENT_LISTENER.toLowerCase() + ".";
        c.put(client + "sasl.enabled.mechanisms", MECHANISM);
        c.put(client + MECHANISM.toLowerCase() + ".sasl.jaas.config", SCRAM_LOGIN + " required;");
        c.put(client + "ssl.keystore.type", "PKCS12");
        c.put(client + "ssl.keystore.location", keystore.keystore().toString());
        c.put(client + "ssl.keystore.password", keystore.password());
        c.put(client + "ssl.key.password", keystore.password());
        c.put("sasl.enabled.mechanisms", MECHANISM);
        c.put("authorizer.class.name", AUTHORIZER);
        c.put("allow.everyone.if.no.acl.found", "false");
        c.put("super.users", "User:" + security.adminUser() + ";" + INTERNAL_PRINCIPAL);
        return c;
    }

    /**
     * What a tlswatch service's configuration needs to reach the node as {@code user}: {@code kafka.bootstrap.servers}
     * and the {@code kafka.*} client settings its Kafka clients are given unchanged.
     */
    public Map<String, String> clientSettings(String bootstrapServers, String user) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("kafka." + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        clientConfig(user).forEach((key, value) -> settings.put("kafka." + key, value));
        return settings;
    }

    /** The same as Kafka client properties, without the {@code kafka.} prefix and the bootstrap servers. */
    public Map<String, String> clientConfig(String user) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        c.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        c.put(SaslConfigs.SASL_JAAS_CONFIG, SCRAM_LOGIN + " required username=\"" + user + "\" password=\""
                + security.password(user) + "\";");
        c.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        c.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, keystore.certificate().toString());
        return c;
    }

    /**
     * Creates (or resets) every user's SCRAM credential through the internal listener, then waits until each can
     * authenticate on the client listener.
     */
    public void createUsersAndAwait(String internalBootstrap, String clientBootstrap, Duration timeout) {
        ScramUsers users = new ScramUsers(security.passwords(), timeout);
        users.create(internalBootstrap);
        for (String user : security.passwords().keySet()) {
            Map<String, Object> client = new HashMap<>(clientConfig(user));
            client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, clientBootstrap);
            users.awaitAuthenticated(user, client);
        }
    }

    public Security security() {
        return security;
    }

    public SelfSignedKeystore keystore() {
        return keystore;
    }
}
