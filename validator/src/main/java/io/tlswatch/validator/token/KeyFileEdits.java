package io.tlswatch.validator.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The changes an operator makes to a signing key file ({@code tlswatch keys}): a new file, a key staged to sign
 * next, the staged key promoted, retired keys dropped. Each takes the file's text and gives the new text; the file
 * is checked as the validator reads it before and after, so an edit never writes a file the validator refuses.
 *
 * <p>Rotation with overlap: {@link #stage} publishes the new key on every replica before any replica signs with it
 * (a client that fetched the JWKS in between knows it); {@link #promote} makes it sign and keeps the old key
 * published, so tokens it signed verify until they expire; {@link #dropRetired} removes old keys once they have.
 */
public final class KeyFileEdits {

    private KeyFileEdits() {
    }

    /** A new file with one fresh private key of {@code algorithm}; names that key. */
    public static KeyFileEdit generate(SigningAlgorithm algorithm) {
        String text = SigningKeyFile.newKeyFile(algorithm);
        return new KeyFileEdit(text, List.of(SigningKeyFile.parse(text, "new key file").current().kid()));
    }

    /**
     * Adds a fresh private key as the file's {@code next}: published, not signing. Names the new key.
     *
     * @param algorithm the new key's algorithm; empty for the current key's
     * @throws SigningKeyException when the file is refused or a key is staged already
     */
    public static KeyFileEdit stage(String text, Optional<SigningAlgorithm> algorithm, String origin) {
        JWKSet set = SigningKeyFile.parseSet(text, origin);
        KeyFileContents contents = SigningKeyFile.contents(set, origin);
        if (contents.next().isPresent()) {
            throw new SigningKeyException("signing key file " + origin + " already stages key "
                    + contents.next().get().kid() + ": promote it before staging another");
        }
        JWK fresh = algorithm.orElse(contents.current().algorithm()).generate();
        String kid = SigningKey.of(fresh).kid();
        List<JWK> keys = new ArrayList<>(set.getKeys());
        keys.add(1, fresh);
        Map<String, Object> members = new LinkedHashMap<>(set.getAdditionalMembers());
        members.put(SigningKeyFile.NEXT, kid);
        return checked(new JWKSet(keys, members), origin, List.of(kid));
    }

    /**
     * Makes the staged key the signing key; the key it replaces stays in the file, retired, published for
     * verification. Names the new signing key, then the one it replaced.
     *
     * @throws SigningKeyException when the file is refused or no key is staged
     */
    public static KeyFileEdit promote(String text, String origin) {
        JWKSet set = SigningKeyFile.parseSet(text, origin);
        KeyFileContents contents = SigningKeyFile.contents(set, origin);
        SigningKey next = contents.next().orElseThrow(() -> new SigningKeyException("signing key file " + origin
                + " stages no key: stage one (--stage), wait for every replica to publish it, then promote"));
        List<JWK> keys = new ArrayList<>(set.getKeys());
        JWK promoted = keys.remove(indexOf(keys, next.kid()));
        keys.add(0, promoted);
        Map<String, Object> members = new LinkedHashMap<>(set.getAdditionalMembers());
        members.remove(SigningKeyFile.NEXT);
        return checked(new JWKSet(keys, members), origin, List.of(next.kid(), contents.current().kid()));
    }

    /**
     * Removes every retired key, keeping the signing key and the staged one. Names the keys removed. Only once
     * the tokens they signed have expired: the token lifetime plus the leeway after the promotion.
     */
    public static KeyFileEdit dropRetired(String text, String origin) {
        JWKSet set = SigningKeyFile.parseSet(text, origin);
        KeyFileContents contents = SigningKeyFile.contents(set, origin);
        List<JWK> keys = new ArrayList<>();
        keys.add(set.getKeys().get(0));
        contents.next().ifPresent(next -> keys.add(set.getKeys().get(indexOf(set.getKeys(), next.kid()))));
        List<String> dropped = contents.retired().stream().map(SigningKey::kid).toList();
        return checked(new JWKSet(keys, set.getAdditionalMembers()), origin, dropped);
    }

    /** Where the key of {@code kid} is, by the kid the validator gives it (its own, else its thumbprint). */
    private static int indexOf(List<JWK> keys, String kid) {
        for (int i = 0; i < keys.size(); i++) {
            if (SigningKey.of(keys.get(i)).kid().equals(kid)) {
                return i;
            }
        }
        throw new IllegalStateException("key " + kid + " is not in the file it was read from");
    }

    private static KeyFileEdit checked(JWKSet set, String origin, List<String> kids) {
        String text = set.toString(false);
        SigningKeyFile.parse(text, origin);
        return new KeyFileEdit(text, kids);
    }
}
