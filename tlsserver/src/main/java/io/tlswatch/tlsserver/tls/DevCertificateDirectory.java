package io.tlswatch.tlsserver.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/**
 * The directory of the development certificates: owner-only where the file system has POSIX permissions, and
 * refused when another user owns it. Files are PEM, written atomically, keys readable by the owner only.
 */
final class DevCertificateDirectory {

    private final Path directory;

    DevCertificateDirectory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    Path path() {
        return directory;
    }

    /** Creates the directory when missing; refuses one that another user owns, and closes one others may write. */
    void prepare() throws IOException {
        boolean posix = posix();
        if (!Files.exists(directory)) {
            if (posix) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }
        if (posix) {
            UserPrincipal owner = Files.getOwner(directory);
            UserPrincipal me = directory.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName(System.getProperty("user.name"));
            if (!owner.equals(me)) {
                throw new TlsConfigurationException("development certificate directory " + directory
                        + " belongs to " + owner.getName() + ", not to " + me.getName()
                        + ": refusing to use a CA someone else could have written");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    void writePrivate(String file, String type, byte[] der) throws IOException {
        write(file, pem(type, der), PosixFilePermissions.fromString("rw-------"));
    }

    void writePublic(String file, String type, byte[] der) throws IOException {
        write(file, pem(type, der), PosixFilePermissions.fromString("rw-r--r--"));
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Writes to a temporary file created with its final permissions, then moves it in place atomically. */
    private void write(String file, String content, Set<PosixFilePermission> permissions) throws IOException {
        FileAttribute<?>[] attributes = posix()
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, "." + file, ".tmp", attributes);
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.move(temporary, directory.resolve(file), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private boolean posix() {
        return directory.getFileSystem().supportedFileAttributeViews().contains("posix")
                && FileSystems.getDefault().equals(directory.getFileSystem());
    }
}
