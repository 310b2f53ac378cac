package io.tlswatch.dashboards;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the module's files are, whether run by Maven (module directory) or from the repository root. */
final class Modules {

    private Modules() {
    }

    static Path dir() {
        Path basedir = Path.of(System.getProperty("basedir", "."));
        return Files.isDirectory(basedir.resolve("prometheus")) ? basedir : basedir.resolve("dashboards");
    }

    static Path docs() {
        return dir().resolve("..").resolve("docs").normalize();
    }
}
