package io.tlswatch.devkafka;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the embedded broker authenticates and authorizes its clients, and who they are.
 *
 * <p>Off (the default) is a PLAINTEXT broker that lets everyone do everything. On, the client listener speaks
 * SASL_SSL with SCRAM-SHA-512, every request is checked against ACLs and nothing is allowed without one, and
 * only {@code adminUser} is a super user. The users and their passwords are created at every start.
 *
 * @param enabled   whether the client listener is secured
 * @param adminUser the super user, whose password is in {@code passwords}; empty when off
 * @param passwords every SCRAM user by name, the admin among them, in the order given
 */
public record Security(boolean enabled, String adminUser, Map<String, String> passwords) {

    private static final int PASSWORD_BYTES = 18;

    public Security {
        Objects.requireNonNull(adminUser, "adminUser");
        passwords = passwords == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(passwords));
        if (enabled && !passwords.containsKey(adminUser)) {
            throw new IllegalArgumentException("the admin user " + adminUser + " needs a password");
        }
        if (!enabled && !passwords.isEmpty()) {
            throw new IllegalArgumentException("users need security on");
        }
        passwords.forEach((user, password) -> {
            if (user.isBlank() || user.contains("\"") || user.contains("=") || user.contains(",")) {
                throw new IllegalArgumentException("unusable SCRAM user name: '" + user + "'");
            }
            if (password == null || password.isEmpty() || password.contains("\"")) {
                throw new IllegalArgumentException("unusable password for " + user);
            }
        });
    }

    /** A PLAINTEXT broker without authentication or ACLs. */
    public static Security off() {
        return new Security(false, "", Map.of());
    }

    /** SASL_SSL with SCRAM-SHA-512 and ACLs, {@code adminUser} the only super user. */
    public static Security scram(String adminUser, String adminPassword) {
        Map<String, String> users = new LinkedHashMap<>();
        users.put(adminUser, adminPassword);
        return new Security(true, adminUser, users);
    }

    /** SASL_SSL with SCRAM-SHA-512 and ACLs, the admin's password generated. */
    public static Security scram(String adminUser) {
        return scram(adminUser, generatedPassword());
    }

    /** Another user, without any ACL: grant it what it needs. */
    public Security withUser(String user, String password) {
        if (!enabled) {
            throw new IllegalStateException("users need security on: start from Security.scram(...)");
        }
        Map<String, String> users = new LinkedHashMap<>(passwords);
        users.put(user, password);
        return new Security(true, adminUser, users);
    }

    /** Another user with a generated password. */
    public Security withUser(String user) {
        return withUser(user, generatedPassword());
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no such user: " + user + " (known: " + passwords.keySet() + ")");
        }
        return password;
    }

    private static String generatedPassword() {
        byte[] bytes = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The passwords stay out of logs and test reports. */
    @Override
    public String toString() {
        return enabled ? "Security[SASL_SSL/SCRAM-SHA-512, admin " + adminUser + ", users " + passwords.keySet() + "]"
                : "Security[off]";
    }
}
