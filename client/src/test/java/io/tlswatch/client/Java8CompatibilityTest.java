package io.tlswatch.client;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK runs on Java 8: its own classes are Java 8 class files (animal-sniffer checks the API they use), and
 * so is every class of every library it brings, outside a multi-release jar's {@code META-INF/versions/} (which
 * Java 8 never reads) and {@code module-info.class}.
 */
class Java8CompatibilityTest {

    private static final int JAVA_8 = 52;
    /** Written by maven-dependency-plugin's build-classpath (client/pom.xml) before the tests run. */
    private static final Path RUNTIME_CLASSPATH = Path.of("target", "sdk-runtime-classpath.txt");

    @Test
    void everySdkClassIsAJava8ClassFile() throws Exception {
        Path classes = Path.of(LicenseClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> newer = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                try (InputStream in = Files.newInputStream(file)) {
                    int major = majorVersion(in);
                    if (major > JAVA_8) {
                        newer.add(classes.relativize(file) + " (" + major + ")");
                    }
                }
            }
        }

        assertThat(newer).as("SDK classes newer than Java 8 in %s", classes).isEmpty();
    }

    @Test
    void everyLibraryTheSdkBringsRunsOnJava8() throws IOException, URISyntaxException {
        assertThat(RUNTIME_CLASSPATH).as("run through Maven, which writes it").exists();
        List<String> jars = Arrays.asList(
                new String(Files.readAllBytes(RUNTIME_CLASSPATH), StandardCharsets.UTF_8).trim().split(
                        java.io.File.pathSeparator));

        assertThat(jars).anyMatch(jar -> jar.contains("jackson-databind"))
                .anyMatch(jar -> jar.contains("nimbus-jose-jwt")).anyMatch(jar -> jar.contains("tink"))
                .noneMatch(jar -> jar.contains("tlswatch")).noneMatch(jar -> jar.contains("slf4j"));
        List<String> newer = new ArrayList<>();
        for (String jar : jars) {
            newer.addAll(newerThanJava8(Path.of(jar)));
        }
        assertThat(newer).as("classes newer than Java 8 on the SDK's runtime class path").isEmpty();
    }

    private static List<String> newerThanJava8(Path jar) throws IOException {
        List<String> newer = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/versions/")
                        || name.endsWith("module-info.class")) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    int major = majorVersion(in);
                    if (major > JAVA_8) {
                        newer.add(jar.getFileName() + "!" + name + " (" + major + ")");
                    }
                }
            }
        }
        return newer;
    }

    private static int majorVersion(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        assertThat(in.readInt()).isEqualTo(0xCAFEBABE);
        in.readUnsignedShort();
        return in.readUnsignedShort();
    }
}
