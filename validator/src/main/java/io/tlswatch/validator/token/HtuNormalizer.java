package io.tlswatch.validator.token;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * The comparison form of an HTTP URI for the DPoP {@code htu} check (RFC 9449 §4.3, check 9): query and
 * fragment left out, then syntax-based and scheme-based normalisation (RFC 3986 §6.2.2, §6.2.3): scheme and
 * host in lower case, the scheme's default port dropped, percent-encodings in upper case and unreserved
 * characters decoded, dot segments removed, an empty path made {@code /}. Two URIs match when their forms are
 * equal. Only absolute {@code http} and {@code https} URIs with a host and no user info have a form.
 */
final class HtuNormalizer {

    private static final String HEX = "0123456789ABCDEF";

    private HtuNormalizer() {
    }

    /** The comparison form of {@code uri}, or empty when it is not an absolute http(s) URI. */
    static Optional<String> normalize(String uri) {
        if (uri == null || uri.isEmpty()) {
            return Optional.empty();
        }
        try {
            return normalize(new URI(uri));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The comparison form of {@code uri}, or empty when it is not an absolute http(s) URI. */
    static Optional<String> normalize(URI uri) {
        if (uri == null || !uri.isAbsolute() || uri.isOpaque()) {
            return Optional.empty();
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort;
        if (scheme.equals("https")) {
            defaultPort = 443;
        } else if (scheme.equals("http")) {
            defaultPort = 80;
        } else {
            return Optional.empty();
        }
        // getHost() is null when the authority is not a valid server-based authority.
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Optional.empty();
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() == defaultPort ? -1 : uri.getPort();
        Optional<String> path = normalizePath(uri.getRawPath());
        if (path.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(scheme + "://" + host + (port == -1 ? "" : ":" + port) + path.get());
    }

    /** Percent-encoding normalisation, then dot-segment removal; empty for a malformed percent-encoding. */
    static Optional<String> normalizePath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return Optional.of("/");
        }
        StringBuilder decoded = new StringBuilder(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= rawPath.length()) {
                return Optional.empty();
            }
            int high = Character.digit(rawPath.charAt(i + 1), 16);
            int low = Character.digit(rawPath.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return Optional.empty();
            }
            char octet = (char) (high * 16 + low);
            if (isUnreserved(octet)) {
                decoded.append(octet);
            } else {
                decoded.append('%').append(HEX.charAt(high)).append(HEX.charAt(low));
            }
            i += 2;
        }
        return Optional.of(removeDotSegments(decoded.toString()));
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** RFC 3986 §5.2.4, for an absolute path; the result always starts with {@code /}. */
    static String removeDotSegments(String path) {
        Deque<String> output = new ArrayDeque<>();
        String[] segments = path.split("/", -1);
        // segments[0] is the empty string before the leading slash.
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    output.addLast("");
                }
            } else if (segment.equals("..")) {
                output.pollLast();
                if (last) {
                    output.addLast("");
                }
            } else {
                output.addLast(segment);
            }
        }
        return "/" + String.join("/", output);
    }
}
