package io.tlswatch.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a key file so that a watching validator never reads half of it and only its owner can read it. */
final class KeyFileWriter {

    private KeyFileWriter() {
    }

    /**
     * Writes {@code text} to a file of mode 0600 beside {@code target}, then moves it over {@code target} in one
     * step: a validator reading in between sees the old file or the new one, never a part. Where {@code target}
     * is a symbolic link, the file it leads to is replaced and the link kept.
     */
    static void write(Path target, String text) throws IOException {
        Path absolute = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath();
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        // Left over by a run that was killed; it holds nothing the target does not.
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temporary);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another tlswatch keys command is writing " + target, e);
        }
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
