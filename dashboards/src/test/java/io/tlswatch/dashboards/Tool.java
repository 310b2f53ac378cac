package io.tlswatch.dashboards;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** A command-line tool found on the PATH, run in the module directory. */
record Tool(Path executable) {

    /** What a run printed and how it ended. */
    record Run(int exitCode, String output) {
    }

    static Optional<Tool> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.add("/usr/bin");
        return dirs.stream().map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst().map(Tool::new);
    }

    Run run(String... args) throws IOException, InterruptedException {
        return runIn(Modules.dir(), args);
    }

    /** Runs in {@code dir}, for at most 120 s; the output goes through a file so that a talkative tool cannot block on a full pipe. */
    Run runIn(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("tlswatch-tool-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean ended = process.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly().waitFor();
            }
            return new Run(ended ? process.exitValue() : -1, new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
