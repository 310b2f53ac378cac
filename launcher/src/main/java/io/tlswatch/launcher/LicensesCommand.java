package io.tlswatch.launcher;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tlswatch.contract.event.LicenseRecord;
import io.tlswatch.contract.event.LicenseRecordStatus;
import io.tlswatch.contract.kafka.KafkaSettings;
import io.tlswatch.contract.serde.Json;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.validator.license.IssuedLicense;
import io.tlswatch.validator.license.LicenseAdmin;
import io.tlswatch.validator.license.LicenseAdminException;
import io.tlswatch.validator.license.LicenseKeys;
import io.tlswatch.validator.license.StatusChange;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tlswatch licenses}: administers licenses through the validator's admin API, or with {@code --direct}
 * straight in the registry topic (docs/licenses.md).
 */
@Command(name = "licenses",
        mixinStandardHelpOptions = true,
        description = {"Issues, suspends, resumes, revokes and lists licenses through the admin API.",
                "The validator's admin API takes --url and --token; --direct writes to the registry topic instead.",
                "Each change reaches every validator within seconds."},
        subcommands = {LicensesCommand.Issue.class, LicensesCommand.Revoke.class, LicensesCommand.Suspend.class,
                LicensesCommand.Resume.class, LicensesCommand.ListLicenses.class})
final class LicensesCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Exit codes of docs/licenses.md. */
    static int exitCode(LicenseAdminException.Kind kind) {
        return switch (kind) {
            case KAFKA -> 1;
            case INVALID -> 2;
            case NOT_FOUND -> 3;
            case REFUSED -> 4;
        };
    }

    /** The options every subcommand shares, and running an operation with them. */
    static final class Connection {
        @Option(names = "--config", paramLabel = "FILE", description = "A file whose kafka.* keys pass through to the Kafka clients, and whose topics.prefix names the topic.")
        Path config;

        @Option(names = "--topic", description = "The registry topic, named in full (default: tlswatch.licenses.v1 after the config's topics.prefix).")
        String topic;

        @Option(names = "--timeout", defaultValue = "PT30S", description = "Bound of each Kafka operation (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Option(names = "--direct", description = "Write to Kafka directly instead of through the admin API (needs write access to the topic).")
        boolean direct;

        @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:TLSWATCH_ADMIN_URL}",
                description = "The admin API, e.g. https://validator.internal:9443 (or env TLSWATCH_ADMIN_URL).")
        String url;

        @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:TLSWATCH_ADMIN_TOKEN}",
                description = "An admin token (tlswatch admin-tokens create), or env TLSWATCH_ADMIN_TOKEN.")
        String token;

        @Option(names = "--ca", paramLabel = "FILE", description = "PEM file of the CA the admin API's certificate chains to (default: the JDK's trust store).")
        Path ca;

        /** The admin API client, or the refusal naming what is missing. */
        LicenseStore api() {
            if (url == null || url.isBlank()) {
                throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, "--url (or TLSWATCH_ADMIN_URL) "
                        + "is required to use the admin API; --direct writes to Kafka instead");
            }
            if (token == null || token.isBlank()) {
                throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, "--token (or "
                        + "TLSWATCH_ADMIN_TOKEN) is required to use the admin API; --direct writes to Kafka instead");
            }
            URI base;
            try {
                base = URI.create(url.endsWith("/") ? url : url + "/");
            } catch (IllegalArgumentException e) {
                throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, "--url is not a URL: " + url);
            }
            if (!"https".equalsIgnoreCase(base.getScheme()) || base.getHost() == null) {
                throw new LicenseAdminException(LicenseAdminException.Kind.INVALID,
                        "--url must be an https URL with a host, was " + url);
            }
            return new ApiLicenseStore(base, token, ca, timeout);
        }

        /** @param kafka the brokers given on the command line, if any; else the file's, else the default */
        LicenseAdmin admin(BootstrapServersOption kafka) {
            KafkaSettings settings = kafka.settings(config);
            return new LicenseAdmin(settings, BootstrapServersOption.topic(settings, Topics.LICENSES, topic),
                    Clock.systemUTC(), LicenseAdmin.defaultSource(), new LicenseKeys(new SecureRandom()), timeout);
        }
    }

    /** Runs an operation against the registry, turning its failures into the documented exit codes. */
    abstract static class Operation implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection = new Connection();

        @CommandLine.Mixin
        BootstrapServersOption kafka = new BootstrapServersOption();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try (LicenseStore store = connection.direct ? LicenseStore.direct(connection.admin(kafka))
                    : connection.api()) {
                return run(store, spec.commandLine().getOut());
            } catch (LicenseAdminException e) {
                spec.commandLine().getErr().println("tlswatch licenses: " + e.getMessage());
                return exitCode(e.kind());
            }
        }

        abstract int run(LicenseStore admin, PrintWriter out);

        void printJson(PrintWriter out, Object value) {
            LicensesCommand.printJson(out, value);
        }
    }

    /** Prints {@code value} as indented JSON: how the admin commands show what they made or found. */
    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(Json.writer().withDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    @Command(name = "issue", mixinStandardHelpOptions = true, description = "Issues a license and prints its key, once.")
    static final class Issue extends Operation {
        @Option(names = "--customer", required = true, description = "Who it is issued to.")
        String customer;

        @Option(names = "--plan", required = true, description = "The plan name.")
        String plan;

        @Option(names = "--entitlement", split = ",", paramLabel = "NAME", description = "Entitlements; repeatable or comma-separated.")
        List<String> entitlements = new ArrayList<>();

        @Option(names = "--max-machines", defaultValue = "1", description = "Machines allowed (default: ${DEFAULT-VALUE}).")
        int maxMachines;

        @Option(names = "--not-before", paramLabel = "WHEN", description = "Start of validity (default: now).")
        String notBefore;

        @ArgGroup(exclusive = true, multiplicity = "1")
        End end;

        static final class End {
            @Option(names = "--not-after", paramLabel = "WHEN", description = "End of validity (exclusive).")
            String notAfter;

            @Option(names = "--valid-for", paramLabel = "DURATION", description = "End of validity as not-before + DURATION, e.g. P365D.")
            Duration validFor;

            @Option(names = "--no-expiry", description = "A license that never expires.")
            boolean noExpiry;
        }

        @Option(names = "--grace", defaultValue = "PT72H", paramLabel = "DURATION", description = "Offline grace (default: ${DEFAULT-VALUE}).")
        Duration grace;

        @Override
        int run(LicenseStore admin, PrintWriter out) {
            Instant start = notBefore == null ? Instant.now() : when("--not-before", notBefore);
            Instant until = end.noExpiry ? null : end.validFor != null ? start.plus(end.validFor) : when("--not-after", end.notAfter);
            IssuedLicense issued = admin.issue(customer, plan, entitlements, maxMachines, start, until, grace);
            LicenseRecord license = issued.license();
            if (connection.json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("licenseKey", issued.licenseKey());
                body.put("license", license);
                printJson(out, body);
            } else {
                out.printf("Issued license %s to %s: %s, %d machines, %s until %s, grace %s%n", license.licenseId(),
                        license.customer(), license.plan(), license.maxMachines(), license.notBefore(),
                        license.notAfter() == null ? "never" : license.notAfter(), license.gracePeriod());
                out.printf("License key (shown only now, store it safely): %s%n", issued.licenseKey());
            }
            return 0;
        }

        private static Instant when(String option, String value) {
            try {
                return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, option
                        + " must be an RFC 3339 instant or a date (2025-01-01), was '" + value + "'");
            }
        }
    }

    /** revoke, suspend and resume differ only in the operation they call. */
    abstract static class Change extends Operation {
        @Parameters(paramLabel = "LICENSE_ID", description = "The license to change.")
        String licenseId;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, recorded in the license's event (required by the admin API for revoke).")
        String reason;

        abstract StatusChange change(LicenseStore admin, String id, String reason);

        @Override
        int run(LicenseStore admin, PrintWriter out) {
            StatusChange change = change(admin, licenseId, reason);
            String status = change.license().status().name().toLowerCase(Locale.ROOT);
            if (connection.json) {
                printJson(out, Map.of("previous", change.previous().name().toLowerCase(Locale.ROOT),
                        "written", change.written(), "license", change.license()));
            } else if (change.written()) {
                out.printf("License %s: %s -> %s%n", licenseId, change.previous().name().toLowerCase(Locale.ROOT), status);
            } else {
                out.printf("License %s is already %s; nothing written%n", licenseId, status);
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a license for good.")
    static final class Revoke extends Change {
        @Override
        StatusChange change(LicenseStore admin, String id, String reason) {
            return admin.revoke(id, reason);
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspends a license until it is resumed.")
    static final class Suspend extends Change {
        @Override
        StatusChange change(LicenseStore admin, String id, String reason) {
            return admin.suspend(id, reason);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Makes a suspended license active again.")
    static final class Resume extends Change {
        @Override
        StatusChange change(LicenseStore admin, String id, String reason) {
            return admin.resume(id, reason);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists licenses.")
    static final class ListLicenses extends Operation {
        @Option(names = "--status", description = "Only active, suspended or revoked licenses.")
        LicenseRecordStatus status;

        @Option(names = "--key-stdin", description = "Read a license key from standard input and show only its license.")
        boolean keyStdin;

        @Override
        int run(LicenseStore admin, PrintWriter out) {
            List<LicenseRecord> licenses;
            if (keyStdin) {
                Optional<LicenseRecord> found = admin.findByKey(readKey());
                licenses = found.map(List::of).orElse(List.of());
            } else {
                licenses = admin.list();
            }
            licenses = licenses.stream().filter(l -> status == null || l.status() == status).toList();
            if (connection.json) {
                printJson(out, licenses);
                return 0;
            }
            String format = "%-24s %-10s %-24s %-12s %-9s %-24s %-24s %-8s %s%n";
            out.printf(format, "LICENSE ID", "STATUS", "CUSTOMER", "PLAN", "MACHINES", "NOT BEFORE", "NOT AFTER",
                    "GRACE", "ENTITLEMENTS");
            for (LicenseRecord l : licenses) {
                out.printf(format, l.licenseId(), l.status().name().toLowerCase(Locale.ROOT), l.customer(), l.plan(),
                        l.maxMachines(), l.notBefore(), l.notAfter() == null ? "never" : l.notAfter(),
                        l.gracePeriod(), String.join(",", l.entitlements()));
            }
            return 0;
        }

        private static String readKey() {
            try {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new LicenseAdminException(LicenseAdminException.Kind.INVALID, "cannot read the key from standard input");
            }
        }
    }
}
