package io.tlswatch.launcher.fleet;

import io.tlswatch.client.LicenseClient;
import io.tlswatch.client.LicenseStatus;
import io.tlswatch.client.report.Reporter;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * One simulated installation: the real SDK, configured as its current stack, connecting from its own address
 * (unless the fleet's targets say not to bind one).
 * A change of stack is a new SDK instance on the same state directory, so the installation keeps its client id
 * and key, as a client whose runtime was upgraded does.
 */
final class SimulatedInstallation implements AutoCloseable {

    /** How far behind the clock of a {@link Stack#CLOCK_OFF} installation runs. */
    static final Duration CLOCK_BEHIND = Duration.ofHours(2);
    private static final Reporter.Settings REPORTING =
            new Reporter.Settings(100, 100, Duration.ofSeconds(1), Duration.ofSeconds(20));

    private final PlannedClient plan;
    private final FleetTargets targets;
    private final String licenseKey;
    private final InetAddress local;
    private LicenseClient client;
    private Stack current;
    private volatile String clientId;
    private volatile LicenseStatus lastStatus;
    private volatile long checks;
    private boolean closed;

    SimulatedInstallation(PlannedClient plan, FleetTargets targets, String licenseKey) {
        this.plan = plan;
        this.targets = targets;
        this.licenseKey = licenseKey;
        // null: the system picks the source address, the same for every installation.
        this.local = targets.bindAddresses() ? StackTls.address(plan.address()) : null;
    }

    /** Creates (or reads) the installation's identity, without any network, so its client id is known. */
    synchronized void prepare() {
        if (client == null && !closed) {
            client = build(plan.initial());
            current = plan.initial();
            clientId = client.clientId();
        }
    }

    /** Checks the license once, as the stack it runs {@code elapsed} after the fleet started. */
    synchronized void check(Duration elapsed) {
        if (closed) {
            return;
        }
        Stack wanted = plan.stackAt(elapsed);
        if (client == null || wanted != current) {
            if (client != null) {
                client.close();
            }
            client = build(wanted);
            current = wanted;
            clientId = client.clientId();
        }
        lastStatus = client.validate();
        checks++;
    }

    private LicenseClient build(Stack stack) {
        Clock clock = stack == Stack.CLOCK_OFF ? Clock.offset(Clock.systemUTC(), CLOCK_BEHIND.negated())
                : Clock.systemUTC();
        return LicenseClient.builder()
                .serverUrl(targets.validator())
                .licenseKey(licenseKey)
                .stateDirectory(targets.stateRoot().resolve(plan.name()))
                .sslContext(StackTls.context(stack, targets.currentCa(), targets.oldCa(), clock, local))
                .tlsProtocols(StackTls.protocols(stack).toArray(new String[0]))
                .cipherSuites(StackTls.cipherSuites(stack).toArray(new String[0]))
                .clock(clock)
                .collector(targets.collectorHttps(), targets.collectorHttp())
                .appVersion("demo " + stack.label())
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(10))
                .reporting(REPORTING)
                .build();
    }

    PlannedClient plan() {
        return plan;
    }

    /** Its client id, once it has checked in at least once. */
    Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    Optional<LicenseStatus> lastStatus() {
        return Optional.ofNullable(lastStatus);
    }

    synchronized Stack currentStack() {
        return current == null ? plan.initial() : current;
    }

    long checks() {
        return checks;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
        }
    }
}
