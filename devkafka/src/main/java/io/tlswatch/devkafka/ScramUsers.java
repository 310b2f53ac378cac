package io.tlswatch.devkafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** SCRAM-SHA-512 users of the embedded broker: created through a super-user connection, then awaited. */
final class ScramUsers {

    private static final Logger log = LoggerFactory.getLogger(ScramUsers.class);
    /** Kafka's default and minimum for SCRAM-SHA-512. */
    private static final int ITERATIONS = 4096;
    /** A credential reaches the broker's cache a moment after the controller committed it. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    private final Map<String, String> passwords;
    private final Duration timeout;

    ScramUsers(Map<String, String> passwords, Duration timeout) {
        this.passwords = passwords;
        this.timeout = timeout;
    }

    /** Creates every user, or resets its password when it exists (a data directory kept across runs). */
    void create(String superUserBootstrap) {
        List<UserScramCredentialAlteration> upserts = passwords.entrySet().stream()
                .<UserScramCredentialAlteration>map(user -> new UserScramCredentialUpsertion(user.getKey(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), user.getValue()))
                .toList();
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, superUserBootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.alterUserScramCredentials(upserts).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("SCRAM users created: {}", passwords.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the SCRAM users", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create the SCRAM users " + passwords.keySet() + ": " + e, e);
        }
    }

    /** Returns once {@code user} authenticates with {@code client} (Admin client properties), or fails. */
    void awaitAuthenticated(String user, Map<String, Object> client) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> props = new HashMap<>(client);
        int limit = (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, limit);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, limit);
        while (true) {
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().nodes().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for user " + user, e);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AuthenticationException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("user " + user + " cannot use the SASL_SSL listener: "
                            + e.getCause(), e.getCause());
                }
                log.debug("user {} not authenticated yet: {}", user, e.getCause().toString());
            } catch (TimeoutException e) {
                throw new IllegalStateException("user " + user + " not authenticated within " + timeout, e);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the SCRAM users", e);
        }
    }
}
