package io.tlswatch.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The rules of docs/architecture.md, "Who may import whom", over the main classes of every module. A module is
 * its package: {@code io.tlswatch.<module>..}.
 */
@AnalyzeClasses(packages = "io.tlswatch", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] SERVICES = {
            "io.tlswatch.validator..", "io.tlswatch.collector..", "io.tlswatch.streams..", "io.tlswatch.notifier.."};

    private static final DescribedPredicate<JavaClass> OURS = resideInAPackage("io.tlswatch..");

    @ArchTest
    static final ArchRule validatorImportsNoOtherService = serviceImportsNoOtherService("validator");

    @ArchTest
    static final ArchRule collectorImportsNoOtherService = serviceImportsNoOtherService("collector");

    @ArchTest
    static final ArchRule streamsImportsNoOtherService = serviceImportsNoOtherService("streams");

    @ArchTest
    static final ArchRule notifierImportsNoOtherService = serviceImportsNoOtherService("notifier");

    @ArchTest
    static final ArchRule contractImportsNothingOfOursNorNettyNorTheKafkaBroker = noClasses()
            .that().resideInAPackage("io.tlswatch.contract..")
            .should().dependOnClassesThat(OURS.and(not(resideInAPackage("io.tlswatch.contract.."))))
            .orShould().dependOnClassesThat().resideInAnyPackage("io.netty..",
                    "kafka..", "org.apache.kafka.server..", "org.apache.kafka.metadata..", "org.apache.kafka.raft..")
            .because("the event contract is what every service and tool shares; it carries no server");

    @ArchTest
    static final ArchRule httpImportsOnlyTheContract = importsOfOursOnly("http", "contract");

    @ArchTest
    static final ArchRule tlsserverImportsOnlyTheContractAndHttp = importsOfOursOnly("tlsserver", "contract", "http");

    @ArchTest
    static final ArchRule noServiceImportsDevkafka = noClasses()
            .that().resideInAnyPackage(SERVICES)
            .should().dependOnClassesThat().resideInAPackage("io.tlswatch.devkafka..")
            .because("only the launcher runs a Kafka broker");

    @ArchTest
    static final ArchRule streamsAndNotifierImportNoTlsserver = noClasses()
            .that().resideInAnyPackage("io.tlswatch.streams..", "io.tlswatch.notifier..")
            .should().dependOnClassesThat().resideInAPackage("io.tlswatch.tlsserver..")
            .because("they serve no TLS");

    @ArchTest
    static final ArchRule clientImportsNothingOfOurs = importsOfOursOnly("client")
            .because("the SDK ships alone, into applications on Java 8");

    @ArchTest
    static final ArchRule contractHasNoPackageCycle = noPackageCycleIn("contract");

    @ArchTest
    static final ArchRule httpHasNoPackageCycle = noPackageCycleIn("http");

    @ArchTest
    static final ArchRule tlsserverHasNoPackageCycle = noPackageCycleIn("tlsserver");

    @ArchTest
    static final ArchRule devkafkaHasNoPackageCycle = noPackageCycleIn("devkafka");

    @ArchTest
    static final ArchRule validatorHasNoPackageCycle = noPackageCycleIn("validator");

    @ArchTest
    static final ArchRule collectorHasNoPackageCycle = noPackageCycleIn("collector");

    @ArchTest
    static final ArchRule streamsHasNoPackageCycle = noPackageCycleIn("streams");

    @ArchTest
    static final ArchRule notifierHasNoPackageCycle = noPackageCycleIn("notifier");

    @ArchTest
    static final ArchRule clientHasNoPackageCycle = noPackageCycleIn("client");

    @ArchTest
    static final ArchRule launcherHasNoPackageCycle = noPackageCycleIn("launcher");

    private static ArchRule serviceImportsNoOtherService(String service) {
        String own = "io.tlswatch." + service + "..";
        return noClasses()
                .that().resideInAPackage(own)
                .should().dependOnClassesThat(resideInAnyPackage(SERVICES).and(not(resideInAPackage(own))))
                .because("services talk through Kafka topics and HTTP, never through each other's classes");
    }

    /** The classes of {@code module} use, of ours, only their own module and {@code allowed}. */
    private static ArchRule importsOfOursOnly(String module, String... allowed) {
        String[] permitted = new String[allowed.length + 1];
        permitted[0] = "io.tlswatch." + module + "..";
        for (int i = 0; i < allowed.length; i++) {
            permitted[i + 1] = "io.tlswatch." + allowed[i] + "..";
        }
        return noClasses()
                .that().resideInAPackage("io.tlswatch." + module + "..")
                .should().dependOnClassesThat(OURS.and(not(resideInAnyPackage(permitted))));
    }

    private static ArchRule noPackageCycleIn(String module) {
        // A module without sub-packages has no slice to compare: that is no cycle, not a failure.
        return slices().assignedFrom(packagesOf(module)).should().beFreeOfCycles().allowEmptyShould(true);
    }

    /**
     * The slices of {@code io.tlswatch.(module).(*)..}, plus the module's root package as a slice of its own, so
     * that a cycle through the root (the service's main class and its configuration) counts too.
     */
    private static SliceAssignment packagesOf(String module) {
        String root = "io.tlswatch." + module;
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (name.equals(root)) {
                    return SliceIdentifier.of(module, "(root)");
                }
                if (!name.startsWith(root + ".")) {
                    return SliceIdentifier.ignore();
                }
                String below = name.substring(root.length() + 1);
                int dot = below.indexOf('.');
                return SliceIdentifier.of(module, dot < 0 ? below : below.substring(0, dot));
            }

            @Override
            public String getDescription() {
                return "the root package and the first-level packages of " + root;
            }
        };
    }
}
