package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A private JWK Set file of signing keys: {@code {"keys": [current, previous...], "next": "kid"}}. The first key
 * signs and must hold its private part; the others are previous keys, private or public, kept for verification.
 * The optional {@code next} member names the key staged to sign next (it must hold its private part): published
 * so that clients fetch it before it signs anything, then promoted to first place ({@link KeyFileEdits}).
 *
 * <p>A file without {@code next} is the older single-purpose format and reads as before. A validator that does
 * not know {@code next} (JWK Set readers ignore members they do not understand, RFC 7517 section 5) reads the
 * staged key as a previous one: published and accepted, never signing, which is what staging asks of it.
 *
 * <p>Such a file holds private keys: keep it outside the repository, readable by the service account only.
 * Loading warns when the file is readable by group or others.
 */
public final class SigningKeyFile {

    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyFile.class);

    /** The JWK Set member naming the staged key's kid. */
    public static final String NEXT = "next";

    /** A key file is a few keys; anything larger is not one. */
    static final long MAX_FILE_BYTES = 1L << 20;

    private static final Set<PosixFilePermission> TOO_OPEN = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private SigningKeyFile() {
    }

    /**
     * Reads and checks every key in the file.
     *
     * @return the current key, the staged one if any, and the retired ones in file order
     * @throws SigningKeyException naming the file and the problem
     */
    public static KeyFileContents read(Path file) {
        String json;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new SigningKeyException("signing key file " + file + " is larger than " + MAX_FILE_BYTES
                        + " bytes; it is not a JWK Set");
            }
            warnIfOpen(file);
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SigningKeyException("cannot read signing key file " + file + ": " + e, e);
        }
        return parse(json, file.toString());
    }

    /** Parses the text of a key file; {@code origin} names it in errors. */
    static KeyFileContents parse(String json, String origin) {
        return contents(parseSet(json, origin), origin);
    }

    /** Parses the text of a key file as a JWK Set, private members kept; {@code origin} names it in errors. */
    static JWKSet parseSet(String json, String origin) {
        try {
            return JWKSet.parse(json);
        } catch (ParseException | RuntimeException e) {
            throw new SigningKeyException("signing key file " + origin + " is not a JWK Set: " + e.getMessage(), e);
        }
    }

    /** The keys of a parsed key file, checked; {@code origin} names it in errors. */
    static KeyFileContents contents(JWKSet set, String origin) {
        if (set.getKeys().isEmpty()) {
            throw new SigningKeyException("signing key file " + origin + " holds no keys");
        }
        List<SigningKey> keys = new ArrayList<>();
        for (int i = 0; i < set.getKeys().size(); i++) {
            try {
                keys.add(SigningKey.of(set.getKeys().get(i)));
            } catch (SigningKeyException e) {
                throw new SigningKeyException("signing key file " + origin + ", key " + i + ": " + e.getMessage(), e);
            }
        }
        if (!keys.get(0).canSign()) {
            throw new SigningKeyException("signing key file " + origin + ": the first key signs new tokens and "
                    + "must hold its private part (d)");
        }
        Object nextKid = set.getAdditionalMembers().get(NEXT);
        if (nextKid != null && !(nextKid instanceof String)) {
            throw new SigningKeyException("signing key file " + origin + ": \"" + NEXT + "\" must be a kid");
        }
        SigningKey next = null;
        List<SigningKey> retired = new ArrayList<>();
        for (SigningKey key : keys.subList(1, keys.size())) {
            if (key.kid().equals(nextKid)) {
                next = key;
            } else {
                retired.add(key);
            }
        }
        if (nextKid != null && next == null) {
            throw new SigningKeyException("signing key file " + origin + ": the next key " + nextKid
                    + " is not among the keys after the first");
        }
        try {
            return new KeyFileContents(keys.get(0), Optional.ofNullable(next), retired);
        } catch (SigningKeyException e) {
            throw new SigningKeyException("signing key file " + origin + ": " + e.getMessage(), e);
        }
    }

    /**
     * The text of a new key file holding one freshly generated private key, for an operator to store (outside
     * the repository) and point the validator at.
     */
    public static String newKeyFile(SigningAlgorithm algorithm) {
        JWK key = algorithm.generate();
        return new JWKSet(key).toString(false);
    }

    private static void warnIfOpen(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(TOO_OPEN::contains)) {
                LOG.warn("Signing key file {} is accessible to group or others ({}); it holds private keys, "
                        + "restrict it to the service account (chmod 600)", file, permissions);
            }
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("Cannot check the permissions of {}: {}", file, e.toString());
        }
    }
}
