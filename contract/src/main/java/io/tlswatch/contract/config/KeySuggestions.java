package io.tlswatch.contract.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The known keys closest to a key a service does not know: what a typo most likely meant. Listing every key
 * instead buries the one that matters among fifty.
 */
public final class KeySuggestions {

    private final Set<String> known;

    public KeySuggestions(Set<String> known) {
        this.known = new TreeSet<>(known);
    }

    /**
     * The known keys at the smallest edit distance from {@code unknown} (ignoring case), if that distance is small
     * enough to be a typo; else the known keys whose last part is {@code unknown}'s last part (a key under the
     * wrong prefix, such as {@code server.port} for {@code https.port}); else none.
     */
    public List<String> closest(String unknown) {
        String wanted = unknown.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, wanted.length() / 4);
        int best = Integer.MAX_VALUE;
        List<String> closest = new ArrayList<>();
        for (String key : known) {
            int distance = distance(wanted, key.toLowerCase(Locale.ROOT));
            if (distance > limit || distance > best) {
                continue;
            }
            if (distance < best) {
                best = distance;
                closest.clear();
            }
            closest.add(key);
        }
        if (!closest.isEmpty()) {
            return List.copyOf(closest);
        }
        String lastPart = lastPart(wanted);
        return known.stream().filter(key -> lastPart(key.toLowerCase(Locale.ROOT)).equals(lastPart)).toList();
    }

    /** "did you mean a or b?" for {@code unknown}, or a sentence saying that no key is close. */
    public String hint(String unknown) {
        List<String> closest = closest(unknown);
        return closest.isEmpty() ? "no known key is like it"
                : "did you mean " + String.join(" or ", closest) + "?";
    }

    private static String lastPart(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance: insertions, deletions and substitutions, one each. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
