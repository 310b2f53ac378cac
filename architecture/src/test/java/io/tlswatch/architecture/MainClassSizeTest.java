package io.tlswatch.architecture;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps main classes small enough to read in one sitting. Protocol parsers are exempt: they follow a wire format
 * byte by byte, and splitting one scatters the format over files.
 */
class MainClassSizeTest {

    private static final int MAX_LINES = 400;
    private static final int MAX_SERVICE_MAIN_LINES = 200;

    /** The protocol parsers, by path from the repository root. */
    private static final Set<String> PROTOCOL_PARSERS = Set.of(
            "tlsserver/src/main/java/io/tlswatch/tlsserver/clienthello/ClientHelloParser.java",
            "tlsserver/src/main/java/io/tlswatch/tlsserver/clienthello/ClientHelloBodyDecoder.java",
            "tlsserver/src/main/java/io/tlswatch/tlsserver/proxy/ProxyHeaderReader.java",
            "collector/src/main/java/io/tlswatch/collector/ingest/NativeReportDecoder.java",
            "collector/src/main/java/io/tlswatch/collector/ingest/NelReportDecoder.java");

    /** The services' entry points: what is left once their parts live in their own classes. */
    private static final Set<String> SERVICE_MAINS = Set.of(
            "validator/src/main/java/io/tlswatch/validator/Validator.java",
            "collector/src/main/java/io/tlswatch/collector/Collector.java");

    private final Path root = Path.of(System.getProperty("tlswatch.root", "..")).toAbsolutePath().normalize();

    @Test
    void noMainClassIsLongerThan400LinesExceptTheProtocolParsers() {
        // given
        Map<String, Integer> lines = mainSourceLines();

        // when
        Map<String, Integer> tooLong = new TreeMap<>();
        lines.forEach((path, count) -> {
            if (count > MAX_LINES && !PROTOCOL_PARSERS.contains(path)) {
                tooLong.put(path, count);
            }
        });

        // then
        assertThat(tooLong).as("main classes over %d lines", MAX_LINES).isEmpty();
    }

    @Test
    void validatorAndCollectorMainClassesAreUnder200Lines() {
        // given
        Map<String, Integer> lines = mainSourceLines();

        // when
        Map<String, Integer> tooLong = new TreeMap<>();
        for (String path : SERVICE_MAINS) {
            assertThat(lines).as("service main classes").containsKey(path);
            if (lines.get(path) >= MAX_SERVICE_MAIN_LINES) {
                tooLong.put(path, lines.get(path));
            }
        }

        // then
        assertThat(tooLong).as("service main classes of %d lines or more", MAX_SERVICE_MAIN_LINES).isEmpty();
    }

    @Test
    void everyExemptProtocolParserExists() {
        // given
        Map<String, Integer> lines = mainSourceLines();

        // then: a parser renamed or removed must leave the list, or the exemption would outlive it
        assertThat(lines.keySet()).containsAll(PROTOCOL_PARSERS);
    }

    /** Lines of every main Java source file, by path from the repository root. */
    private Map<String, Integer> mainSourceLines() {
        assertThat(root.resolve("pom.xml")).as("repository root").exists();
        Map<String, Integer> lines = new TreeMap<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    collect(main, lines);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(lines).as("main sources under %s", root).isNotEmpty();
        return lines;
    }

    private void collect(Path main, Map<String, Integer> lines) throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            lines.put(root.relativize(source).toString().replace('\\', '/'), Files.readAllLines(source).size());
        }
    }
}
