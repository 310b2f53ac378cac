package io.tlswatch.launcher;

import io.tlswatch.contract.event.AdminScope;
import io.tlswatch.contract.event.AdminTokenRecord;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.admin.AdminTokenFormat;
import io.tlswatch.validator.admin.AdminTokenStore;
import io.tlswatch.validator.license.LicenseAdmin;
import io.tlswatch.validator.license.LicenseAdminException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tlswatch admin-tokens}: makes, lists and revokes the admin API's bearer tokens, straight in
 * {@code tlswatch.admin-tokens.v1} (docs/api.md, "Admin API"). Exit codes as {@code tlswatch licenses}.
 */
@Command(name = "admin-tokens",
        mixinStandardHelpOptions = true,
        description = {"Creates, lists and revokes the admin API's bearer tokens (stored hashed in Kafka).",
                "A token is printed once, when it is created."},
        subcommands = {AdminTokensCommand.Create.class, AdminTokensCommand.ListTokens.class,
                AdminTokensCommand.Revoke.class})
final class AdminTokensCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Connects to Kafka as {@code tlswatch licenses --direct} does, and turns failures into exit codes. */
    abstract static class Operation implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE", description = "A file whose kafka.* keys pass through to the Kafka clients, and whose topics.prefix names the topic.")
        Path config;

        @Option(names = "--topic", description = "The token topic, named in full (default: tlswatch.admin-tokens.v1 after the config's topics.prefix).")
        String topic;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "Bound of each Kafka operation (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @CommandLine.Mixin
        BootstrapServersOption kafka = new BootstrapServersOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            KafkaSettings settings = kafka.settings(config);
            String source = "admin-tokens@" + LicenseAdmin.defaultSource().substring("licenses@".length());
            try (AdminTokenStore store = new AdminTokenStore(settings,
                    BootstrapServersOption.topic(settings, Topics.ADMIN_TOKENS, topic),
                    new AdminTokenFormat(new SecureRandom()), Clock.systemUTC(), source, timeout)) {
                return run(store, spec.commandLine().getOut());
            } catch (LicenseAdminException e) {
                spec.commandLine().getErr().println("tlswatch admin-tokens: " + e.getMessage());
                return LicensesCommand.exitCode(e.kind());
            }
        }

        abstract int run(AdminTokenStore store, PrintWriter out);

        void printJson(PrintWriter out, Object value) {
            LicensesCommand.printJson(out, value);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a token and prints it, once.")
    static final class Create extends Operation {
        @Option(names = "--name", required = true, description = "Who holds it; every change made with it names this as the operator.")
        String name;

        @Option(names = "--scope", required = true, description = "read, write or admin.")
        String scope;

        @Option(names = "--expires-in", paramLabel = "DURATION", description = "Lifetime, e.g. 90d, 12h or P90D (default: never expires).")
        String expiresIn;

        @Override
        int run(AdminTokenStore store, PrintWriter out) {
            Instant expiresAt = expiresIn == null ? null : Instant.now().plus(lifetime(expiresIn));
            AdminTokenStore.Created created = store.create(name, scope(scope), expiresAt);
            AdminTokenRecord record = created.record();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("token", created.token());
                body.put("tokenId", record.tokenId());
                body.put("name", record.name());
                body.put("scope", lower(record.scope()));
                body.put("expiresAt", record.expiresAt());
                printJson(out, body);
            } else {
                out.printf("Created admin token %s for %s, scope %s, %s%n", record.tokenId(), record.name(),
                        lower(record.scope()), record.expiresAt() == null ? "never expires"
                                : "expires " + record.expiresAt());
                out.printf("Token (shown only now, store it safely): %s%n", created.token());
            }
            return 0;
        }

        private static AdminScope scope(String value) {
            for (AdminScope s : AdminScope.values()) {
                if (lower(s).equals(value)) {
                    return s;
                }
            }
            throw new LicenseAdminException(LicenseAdminException.Kind.INVALID,
                    "--scope must be read, write or admin, was '" + value + "'");
        }

        /** {@code 90d}, {@code 12h}, {@code 30m}, or an ISO 8601 duration. */
        static Duration lifetime(String value) {
            try {
                String v = value.trim().toLowerCase(Locale.ROOT);
                if (v.matches("\\d+[dhm]")) {
                    long n = Long.parseLong(v.substring(0, v.length() - 1));
                    return switch (v.charAt(v.length() - 1)) {
                        case 'd' -> Duration.ofDays(n);
                        case 'h' -> Duration.ofHours(n);
                        default -> Duration.ofMinutes(n);
                    };
                }
                Duration parsed = Duration.parse(value);
                if (parsed.isNegative() || parsed.isZero()) {
                    throw new DateTimeParseException("not positive", value, 0);
                }
                return parsed;
            } catch (DateTimeParseException | ArithmeticException e) {
                throw new LicenseAdminException(LicenseAdminException.Kind.INVALID,
                        "--expires-in must be like 90d, 12h, 30m or P90D, was '" + value + "'");
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tokens (ids, names, scopes; never the tokens).")
    static final class ListTokens extends Operation {
        @Override
        int run(AdminTokenStore store, PrintWriter out) {
            List<AdminTokenRecord> tokens = store.list();
            if (json) {
                printJson(out, tokens);
                return 0;
            }
            String format = "%-18s %-24s %-6s %-24s %s%n";
            out.printf(format, "TOKEN ID", "NAME", "SCOPE", "CREATED", "EXPIRES");
            for (AdminTokenRecord t : tokens) {
                out.printf(format, t.tokenId(), t.name(), lower(t.scope()), t.time(),
                        t.expiresAt() == null ? "never" : t.expiresAt());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token: every validator refuses it within seconds.")
    static final class Revoke extends Operation {
        @Parameters(paramLabel = "TOKEN_ID", description = "The token's id (as listed).")
        String tokenId;

        @Override
        int run(AdminTokenStore store, PrintWriter out) {
            AdminTokenRecord revoked = store.revoke(tokenId);
            out.printf("Revoked admin token %s (%s)%n", revoked.tokenId(), revoked.name());
            return 0;
        }
    }

    private static String lower(AdminScope scope) {
        return scope.name().toLowerCase(Locale.ROOT);
    }
}
