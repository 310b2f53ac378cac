package io.tlswatch.client.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tlswatch.client.identity.OwnerOnlyFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reports that could not be delivered, one owner-only file each in {@code spool/} of the state directory, named
 * {@code <sequence>-<reportId>.json} so that the oldest go first. Bounded: above {@code capacity} files the
 * oldest is deleted (and counted by the caller). A file that does not parse as a report is deleted when met.
 * Thread-safe (the reporter's thread, and the closing thread for what was still queued).
 */
public final class ReportSpool {

    private static final Pattern NAME = Pattern.compile("\\d{19}-[A-Za-z0-9-]{1,64}\\.json");

    private final Path directory;
    private final ObjectMapper json;
    private final int capacity;
    private long sequence;

    public ReportSpool(Path directory, ObjectMapper json, int capacity) throws IOException {
        if (capacity < 1) {
            throw new IllegalArgumentException("spool capacity must be at least 1");
        }
        this.directory = directory;
        this.json = json;
        this.capacity = capacity;
        OwnerOnlyFiles.ensureDirectory(directory);
        List<Path> existing = files();
        sequence = existing.isEmpty() ? 0 : sequenceOf(existing.get(existing.size() - 1));
    }

    /**
     * Keeps a report; a report already spooled (same reportId) is not kept twice.
     *
     * @return how many older reports were deleted to make room
     */
    public synchronized int add(FailureReport report) throws IOException {
        List<Path> existing = files();
        for (Path file : existing) {
            if (file.getFileName().toString().endsWith("-" + report.reportId() + ".json")) {
                return 0;
            }
        }
        int evicted = 0;
        for (int i = 0; existing.size() - i >= capacity; i++) {
            Files.deleteIfExists(existing.get(i));
            evicted++;
        }
        sequence = Math.max(sequence + 1, System.currentTimeMillis() * 1000);
        OwnerOnlyFiles.write(directory.resolve(String.format("%019d-%s.json", sequence, report.reportId())),
                json.writeValueAsBytes(report.stored()));
        return evicted;
    }

    /** Up to {@code max} reports, oldest first. */
    public synchronized List<Spooled> oldest(int max) throws IOException {
        List<Spooled> batch = new ArrayList<>();
        for (Path file : files()) {
            if (batch.size() >= max) {
                break;
            }
            try {
                JsonNode node = json.readTree(file.toFile());
                if (node instanceof ObjectNode) {
                    batch.add(new Spooled(file, FailureReport.fromJson((ObjectNode) node)));
                    continue;
                }
            } catch (IOException | IllegalArgumentException e) {
                // fall through: an unreadable file would block the spool forever
            }
            Files.deleteIfExists(file);
        }
        return batch;
    }

    public synchronized void remove(Spooled spooled) throws IOException {
        Files.deleteIfExists(spooled.file);
    }

    public synchronized int size() throws IOException {
        return files().size();
    }

    private List<Path> files() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path file : stream) {
                if (NAME.matcher(file.getFileName().toString()).matches()) {
                    files.add(file);
                }
            }
        }
        Collections.sort(files);
        return files;
    }

    private static long sequenceOf(Path file) {
        return Long.parseLong(file.getFileName().toString().substring(0, 19));
    }

    /** A report in the spool and the file it is in. */
    public static final class Spooled {
        private final Path file;
        private final FailureReport report;

        Spooled(Path file, FailureReport report) {
            this.file = file;
            this.report = report;
        }

        public FailureReport report() {
            return report;
        }
    }
}
