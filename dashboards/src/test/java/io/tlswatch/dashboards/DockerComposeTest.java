package io.tlswatch.dashboards;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tlswatch.collector.config.CollectorConfig;
import io.tlswatch.contract.kafka.KafkaVersion;
import io.tlswatch.notifier.config.NotifierConfig;
import io.tlswatch.streams.config.PostureJobConfig;
import io.tlswatch.validator.ValidatorConfig;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * docker-compose.yml against what the services and tools really use, since no Docker runs here: each Java
 * service's configuration loaded from the compose environment (unknown variables would be ignored silently, so
 * each must name a key) and its published ports and health check equal to the ports that configuration binds;
 * Prometheus's targets equal to the compose services and admin ports; every mounted file present and mounted where
 * the configuration that reads it points. Where {@code docker compose} or {@code docker-compose} is installed, it
 * validates the file too.
 */
class DockerComposeTest {

    private static final Set<String> JAVA_SERVICES = Set.of("validator", "collector", "streams", "notifier");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws Exception {
        // SnakeYAML resolves the file's anchor and merge keys (<<: *tlswatch) as Docker Compose does.
        return new Yaml().load(Files.readString(root().resolve("docker-compose.yml")));
    }

    private static Path root() {
        return Modules.dir().resolve("..").normalize();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> service(String name) throws Exception {
        return (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get(name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(String name) throws Exception {
        Map<String, String> env = new HashMap<>();
        Object raw = service(name).get("environment");
        if (raw instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(String name, String key) throws Exception {
        Object raw = service(name).get(key);
        List<String> out = new ArrayList<>();
        if (raw instanceof List<?> items) {
            items.forEach(i -> out.add(String.valueOf(i)));
        }
        return out;
    }

    /** Host port to container port, as published. */
    private static Map<Integer, Integer> ports(String name) throws Exception {
        Map<Integer, Integer> out = new TreeMap<>();
        for (String p : list(name, "ports")) {
            String[] parts = p.split(":");
            out.put(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }
        return out;
    }

    /** Container path to repository path, for the bind mounts ({@code ./...}). */
    private static Map<String, Path> mounts(String name) throws Exception {
        Map<String, Path> out = new TreeMap<>();
        for (String v : list(name, "volumes")) {
            String[] parts = v.split(":");
            if (parts[0].startsWith("./")) {
                out.put(parts[1], root().resolve(parts[0]).normalize());
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String healthCheck(String name) throws Exception {
        Map<String, Object> check = (Map<String, Object>) service(name).get("healthcheck");
        assertThat(check).as(name + " healthcheck").isNotNull();
        return String.join(" ", (List<String>) check.get("test"));
    }

    @Test
    void theStackHasEveryServiceOfTheIssueEachWithAHealthCheck() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) compose().get("services");

        assertThat(services.keySet()).contains("kafka", "validator", "collector", "streams", "notifier", "prometheus",
                "alertmanager", "grafana");
        for (String name : services.keySet()) {
            assertThat(healthCheck(name)).as(name).isNotBlank();
        }
        assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:" + KafkaVersion.current());
        assertThat(environment("kafka")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
                .containsEntry("KAFKA_ADVERTISED_LISTENERS", "PLAINTEXT://kafka:9092");
    }

    @Test
    void everyJavaServiceRunsTheOneImageWithALauncherCommandAndReachesKafka() throws Exception {
        Path launcher = root().resolve("launcher/src/main/java/io/tlswatch/launcher");
        for (String name : JAVA_SERVICES) {
            Map<String, Object> s = service(name);
            assertThat(s.get("image")).as(name).isEqualTo("tlswatch:dev");
            assertThat(s.get("build")).as(name).isEqualTo(".");
            String command = list(name, "command").get(0);
            try (var files = Files.walk(launcher)) {
                assertThat(files.filter(f -> f.toString().endsWith(".java")).map(f -> {
                    try {
                        return Files.readString(f);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).as(name + ": a launcher subcommand named " + command)
                        .anyMatch(src -> src.contains("@Command(name = \"" + command + "\""));
            }
            assertThat(environment(name)).as(name).containsEntry("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092");
        }
        assertThat(Files.readString(root().resolve("Dockerfile"))).contains("package -pl launcher -am");
    }

    @Test
    void everyEnvironmentVariableNamesAConfigurationKeyOfItsService() throws Exception {
        Map<String, Set<String>> keys = Map.of("validator", ValidatorConfig.KEYS, "collector", CollectorConfig.KEYS,
                "streams", PostureJobConfig.KEYS, "notifier", NotifierConfig.KEYS);
        for (String name : JAVA_SERVICES) {
            Set<String> known = new TreeSet<>();
            keys.get(name).forEach(k -> known.add(io.tlswatch.contract.config.ConfigSource.envName(k)));
            for (String variable : environment(name).keySet()) {
                assertThat(known.contains(variable) || variable.startsWith("TLSWATCH_KAFKA_"))
                        .as(name + ": " + variable + " overrides no configuration key (it would be ignored)").isTrue();
            }
        }
    }

    @Test
    void publishedPortsAndHealthChecksAreThePortsTheServicesConfigurationBinds() throws Exception {
        ValidatorConfig validator = ValidatorConfig.load(null, environment("validator"));
        CollectorConfig collector = CollectorConfig.load(null, environment("collector"));
        PostureJobConfig streams = PostureJobConfig.load(null, environment("streams"));
        NotifierConfig notifier = NotifierConfig.load(
                mounts("notifier").get(list("notifier", "command").get(2)), environment("notifier"));

        assertThat(ports("validator")).containsExactlyInAnyOrderEntriesOf(Map.of(validator.port(), validator.port(),
                validator.server().adminPort(), validator.server().adminPort()));
        assertThat(validator.publicUrl().getPort()).isEqualTo(validator.port());
        assertThat(ports("collector")).containsExactlyInAnyOrderEntriesOf(Map.of(collector.httpPort(), collector.httpPort(),
                collector.httpsPort(), collector.httpsPort(), collector.server().adminPort(), collector.server().adminPort()));
        assertThat(ports("streams")).containsExactlyInAnyOrderEntriesOf(Map.of(streams.adminPort(), streams.adminPort()));
        assertThat(streams.advertisedHost()).isEqualTo("streams");
        assertThat(ports("notifier")).containsExactlyInAnyOrderEntriesOf(Map.of(notifier.adminPort(), notifier.adminPort()));
        assertThat(healthCheck("validator")).contains("http://localhost:" + validator.server().adminPort() + "/health/ready");
        assertThat(healthCheck("collector")).contains("http://localhost:" + collector.server().adminPort() + "/health/ready");
        assertThat(healthCheck("streams")).contains("http://localhost:" + streams.adminPort() + "/health/ready");
        assertThat(healthCheck("notifier")).contains("http://localhost:" + notifier.adminPort() + "/health/ready");
        assertThat(Map.of("validator", validator.server().adminPort(), "collector", collector.server().adminPort(),
                "streams", streams.adminPort(), "notifier", notifier.adminPort()))
                .as("admin ports by service, as prometheus.yml scrapes them").isEqualTo(scrapeTargets());
    }

    /** prometheus.yml's {@code tlswatch-<service>} jobs: service name to the port of its one target host. */
    private static Map<String, Integer> scrapeTargets() throws Exception {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(Modules.dir().resolve("prometheus/prometheus.yml").toFile());
        Map<String, Integer> targets = new TreeMap<>();
        for (JsonNode job : config.path("scrape_configs")) {
            String name = job.path("job_name").asText();
            assertThat(name).startsWith("tlswatch-");
            String target = job.path("static_configs").path(0).path("targets").path(0).asText();
            String service = name.substring("tlswatch-".length());
            assertThat(target).as(name + " target host is its compose service").startsWith(service + ":");
            targets.put(service, Integer.parseInt(target.substring(target.indexOf(':') + 1)));
        }
        String alertmanager = config.path("alerting").path("alertmanagers").path(0).path("static_configs").path(0)
                .path("targets").path(0).asText();
        assertThat(alertmanager).isEqualTo("alertmanager:9093");
        assertThat(ports("alertmanager")).containsEntry(9093, 9093);
        return targets;
    }

    @Test
    void prometheusAndAlertmanagerReadTheirMountedConfiguration() throws Exception {
        Map<String, Path> prometheus = mounts("prometheus");
        assertThat(prometheus).containsEntry("/etc/prometheus", Modules.dir().resolve("prometheus").normalize());
        assertThat(list("prometheus", "command")).contains("--config.file=/etc/prometheus/prometheus.yml");
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(Modules.dir().resolve("prometheus/prometheus.yml").toFile());
        for (JsonNode rules : config.path("rule_files")) {
            assertThat(Modules.dir().resolve("prometheus").resolve(rules.asText())).as("rule file " + rules).isRegularFile();
        }
        assertThat(ports("prometheus")).containsEntry(9090, 9090);

        Map<String, Path> alertmanager = mounts("alertmanager");
        assertThat(list("alertmanager", "command")).contains("--config.file=/etc/alertmanager/alertmanager.yml");
        assertThat(alertmanager.get("/etc/alertmanager/alertmanager.yml")).isRegularFile();
        var amtool = Tool.find("amtool");
        if (amtool.isPresent()) {
            Tool.Run run = amtool.get().run("check-config", alertmanager.get("/etc/alertmanager/alertmanager.yml").toString());
            assertThat(run.exitCode()).as(run.output()).isZero();
        }
    }

    @Test
    void grafanaIsProvisionedWithThePrometheusOfTheStackAndTheDashboards() throws Exception {
        Map<String, Path> grafana = mounts("grafana");
        Path provisioning = grafana.get("/etc/grafana/provisioning");
        assertThat(provisioning).isEqualTo(Modules.dir().resolve("grafana/provisioning").normalize());
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonNode provider = yaml.readTree(provisioning.resolve("dashboards/tlswatch.yml").toFile()).path("providers").path(0);
        String dashboardsPath = provider.path("options").path("path").asText();
        assertThat(grafana.get(dashboardsPath)).as("the dashboards mounted where the provider reads them")
                .isEqualTo(Dashboards.dir().normalize());
        JsonNode datasource = yaml.readTree(provisioning.resolve("datasources/prometheus.yml").toFile())
                .path("datasources").path(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
        assertThat(ports("grafana")).containsEntry(3000, 3000);
        assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")).startsWith(dashboardsPath + "/");
        assertThat(Dashboards.dir().resolve(Path.of(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .getFileName())).isRegularFile();
    }

    @Test
    void everyBindMountExistsInTheRepository() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        for (String name : services.keySet()) {
            mounts(name).forEach((target, source) -> assertThat(Files.exists(source)).as(name + ": " + source + " -> " + target).isTrue());
        }
    }

    @Test
    void dockerComposeValidatesTheFileWhereItIsInstalled() throws Exception {
        // The file stays valid for both: Compose 1.29 refuses a top-level `name:`, so .env names the project.
        assertThat(compose()).doesNotContainKey("name");
        assertThat(Files.readAllLines(root().resolve(".env"))).contains("COMPOSE_PROJECT_NAME=tlswatch");

        // The Compose plugin (`docker compose`) where there is one, else the standalone `docker-compose`
        // (Debian's 1.29, which .ci/run installs): both validate without a Docker engine.
        List<String> command = new ArrayList<>();
        var docker = Tool.find("docker");
        Tool compose;
        if (docker.isPresent() && docker.get().run("compose", "version").exitCode() == 0) {
            compose = docker.get();
            command.add("compose");
        } else {
            var standalone = Tool.find("docker-compose");
            assumeThat(standalone).as("docker compose (the plugin) or docker-compose is installed").isPresent();
            compose = standalone.get();
        }
        command.addAll(List.of("-f", root().resolve("docker-compose.yml").toString(), "config", "--quiet"));

        Tool.Run run = compose.run(command.toArray(String[]::new));

        assertThat(run.exitCode()).as(compose + " " + command + ":\n" + run.output()).isZero();

        // ...and it can fail: a copy with a misspelt service key is refused, by name.
        Path broken = Modules.dir().resolve("target/docker-compose-broken/docker-compose.yml");
        Files.createDirectories(broken.getParent());
        String file = Files.readString(root().resolve("docker-compose.yml"));
        assertThat(file).contains("    image: apache/kafka:");
        Files.writeString(broken, file.replace("    image: apache/kafka:", "    imgae: apache/kafka:"));
        command.set(command.indexOf("-f") + 1, broken.toString());

        Tool.Run refused = compose.run(command.toArray(String[]::new));

        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("imgae");
    }

    /** The fleet service's command options: option to value ({@code ""} for a flag). */
    private static Map<String, String> fleetOptions() throws Exception {
        List<String> command = list("fleet", "command");
        assertThat(command.get(0)).isEqualTo("fleet");
        Map<String, String> options = new TreeMap<>();
        for (int i = 1; i < command.size(); i++) {
            String option = command.get(i);
            assertThat(option).as("fleet command argument " + i).startsWith("--");
            boolean flag = i + 1 == command.size() || command.get(i + 1).startsWith("--");
            options.put(option, flag ? "" : command.get(++i));
        }
        return options;
    }

    /** The options {@code tlswatch fleet} declares in its sources, with whether each is required or negatable. */
    private static Map<String, String> fleetCommandOptions() throws Exception {
        Path launcher = root().resolve("launcher/src/main/java/io/tlswatch/launcher");
        Map<String, String> declared = new TreeMap<>();
        for (String file : List.of("FleetCommand.java", "FleetPlanOptions.java", "BootstrapServersOption.java")) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("@Option\\(names = \"(--[a-z-]+)\"([^)]*)").matcher(Files.readString(launcher.resolve(file)));
            while (m.find()) {
                declared.put(m.group(1), m.group(2).contains("required = true") ? "required"
                        : m.group(2).contains("negatable = true") ? "negatable" : "");
            }
        }
        return declared;
    }

    @Test
    void fleetRunsInItsOwnProfileWithTheFleetCommandsOptionsOnly() throws Exception {
        // given
        Map<String, Object> fleet = service("fleet");
        Map<String, String> declared = fleetCommandOptions();
        Map<String, String> options = fleetOptions();

        // then: only with --profile fleet, from the one image, with a launcher command named fleet
        assertThat(fleet.get("profiles")).isEqualTo(List.of("fleet"));
        assertThat(fleet.get("image")).isEqualTo("tlswatch:dev");
        assertThat(declared).as("the fleet command's options in the launcher's sources").containsKeys("--validator", "--ca");
        // and every option it passes is one the command declares (a --no- form for a negatable one), every required one given
        for (String option : options.keySet()) {
            String plain = option.startsWith("--no-") ? "--" + option.substring("--no-".length()) : option;
            assertThat(declared).as("fleet: " + option + " is an option of tlswatch fleet").containsKey(plain);
            if (!plain.equals(option)) {
                assertThat(declared.get(plain)).as(option).isEqualTo("negatable");
            }
        }
        declared.forEach((option, kind) -> {
            if (kind.equals("required")) {
                assertThat(options).as("fleet: required " + option).containsKey(option);
            }
        });
        // and inside the compose network no client can connect from a 127.x address of its own
        assertThat(options).containsKey("--no-bind-addresses").doesNotContainKey("--bind-addresses");
    }

    @Test
    void fleetTargetsAreTheValidatorAndCollectorAsTheirConfigurationServesThem() throws Exception {
        // given
        ValidatorConfig validator = ValidatorConfig.load(null, environment("validator"));
        CollectorConfig collector = CollectorConfig.load(null, environment("collector"));
        Map<String, String> options = fleetOptions();

        // then: the validator by its public URL (DPoP proofs and the token issuer name it), on the compose service
        assertThat(options.get("--validator")).isEqualTo(validator.publicUrl().toString())
                .isEqualTo("https://validator:" + validator.port());
        assertThat(options.get("--collector-https")).isEqualTo("https://collector:" + collector.httpsPort());
        assertThat(options.get("--collector-http")).isEqualTo("http://collector:" + collector.httpPort());
        assertThat(options.get("--bootstrap-servers")).isEqualTo(environment("validator").get("TLSWATCH_KAFKA_BOOTSTRAP_SERVERS"));
        // and both servers' development certificate names the hosts the fleet connects to (host names are verified)
        assertThat(validator.server().devCertificateNames()).isEqualTo(collector.server().devCertificateNames())
                .contains(URI.create(options.get("--validator")).getHost(), URI.create(options.get("--collector-https")).getHost());
        assertThat(healthCheck("fleet")).contains("http://localhost:" + options.get("--admin-port") + "/health/ready");
    }

    @Test
    void fleetTrustsTheDevelopmentCaFromTheSharedVolumeReadOnly() throws Exception {
        // given the directory the validator and the collector keep their development CA in
        String certs = environment("validator").get("TLSWATCH_TLS_DEVCERTIFICATEDIR");
        assertThat(environment("collector")).containsEntry("TLSWATCH_TLS_DEVCERTIFICATEDIR", certs);
        String volume = list("validator", "volumes").stream().filter(v -> v.split(":")[1].equals(certs))
                .map(v -> v.split(":")[0]).findFirst().orElseThrow();
        assertThat(list("collector", "volumes")).contains(volume + ":" + certs);

        // then the fleet mounts that volume read-only and trusts its ca.pem
        assertThat(list("fleet", "volumes")).containsExactly(volume + ":" + certs + ":ro");
        assertThat(fleetOptions().get("--ca")).isEqualTo(certs + "/ca.pem");
    }

    @Test
    @SuppressWarnings("unchecked")
    void fleetStartsOnceKafkaTheValidatorAndTheCollectorAreHealthy() throws Exception {
        Map<String, Object> dependsOn = (Map<String, Object>) service("fleet").get("depends_on");

        assertThat(dependsOn.keySet()).containsExactlyInAnyOrder("kafka", "validator", "collector");
        dependsOn.forEach((name, condition) -> assertThat(((Map<String, Object>) condition).get("condition"))
                .as(name).isEqualTo("service_healthy"));
    }
}
