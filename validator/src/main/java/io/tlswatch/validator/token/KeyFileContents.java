package io.tlswatch.validator.token;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a signing key file says about its keys: the key that signs now, the key staged to sign next (published,
 * not signing yet), and retired keys kept published so that tokens they signed still verify.
 *
 * @param current the key new tokens are signed with; holds its private part
 * @param next    the staged key, published before it signs so that every client has it when it does
 * @param retired keys that signed before, newest first
 */
public record KeyFileContents(SigningKey current, Optional<SigningKey> next, List<SigningKey> retired) {

    public KeyFileContents {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        retired = List.copyOf(retired);
        if (!current.canSign()) {
            throw new SigningKeyException("the current signing key " + current.kid() + " has no private part");
        }
        if (next.isPresent() && !next.get().canSign()) {
            throw new SigningKeyException("the next signing key " + next.get().kid()
                    + " has no private part: it could not sign once promoted");
        }
        Set<String> kids = new HashSet<>();
        for (SigningKey key : all(current, next, retired)) {
            if (!kids.add(key.kid())) {
                throw new SigningKeyException("two keys share the kid " + key.kid());
            }
        }
    }

    /** Every key: current, next, then the retired ones. */
    public List<SigningKey> all() {
        return all(current, next, retired);
    }

    private static List<SigningKey> all(SigningKey current, Optional<SigningKey> next, List<SigningKey> retired) {
        List<SigningKey> keys = new ArrayList<>();
        keys.add(current);
        next.ifPresent(keys::add);
        keys.addAll(retired);
        return List.copyOf(keys);
    }
}
