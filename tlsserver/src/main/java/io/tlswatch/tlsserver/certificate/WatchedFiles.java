package io.tlswatch.tlsserver.certificate;

import io.tlswatch.tlsserver.tls.CertificateSource;
import io.tlswatch.tlsserver.tls.SecretSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The files a certificate source is read from, and what they hold now. A snapshot records each file's real path
 * (after following every symbolic link) and a hash of its content: modification times are not enough, since a
 * Kubernetes secret is updated by swapping its {@code ..data} symbolic link to a new directory, and files copied
 * with their times kept (or written twice in one second) would look unchanged. Public so that other watched files
 * (the validator's token key file) are compared the same way as certificates.
 */
public final class WatchedFiles {

    private final List<Path> paths;

    /** Any files, compared together. */
    public WatchedFiles(List<Path> paths) {
        this.paths = List.copyOf(paths);
    }

    WatchedFiles(CertificateSource source) {
        List<Path> files = new ArrayList<>();
        SecretSource password;
        if (source instanceof CertificateSource.PemFiles pem) {
            files.add(pem.certificateChain());
            files.add(pem.privateKey());
            password = pem.keyPassword();
        } else {
            CertificateSource.Pkcs12File pkcs12 = (CertificateSource.Pkcs12File) source;
            files.add(pkcs12.keyStore());
            password = pkcs12.password();
        }
        if (password instanceof SecretSource.File file) {
            files.add(file.path());
        }
        this.paths = List.copyOf(files);
    }

    public List<Path> paths() {
        return paths;
    }

    public Snapshot snapshot() {
        List<FileState> states = new ArrayList<>();
        for (Path path : paths) {
            states.add(state(path));
        }
        return new Snapshot(states);
    }

    private static FileState state(Path path) {
        try {
            Path real = path.toRealPath();
            byte[] content = Files.readAllBytes(real);
            return new FileState(path, real.toString(), HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(content)));
        } catch (IOException e) {
            return new FileState(path, null, "unreadable: " + e.getClass().getSimpleName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One file: where its symbolic links led, and its content's hash (or why it could not be read). */
    public record FileState(Path path, String realPath, String contentHash) {
    }

    public record Snapshot(List<FileState> files) {
        public Snapshot {
            files = List.copyOf(files);
        }
    }
}
