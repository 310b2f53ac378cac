package io.tlswatch.tlsserver.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The DNS names a development server certificate (and its CA's name constraint) covers. */
final class DevCertificateNames {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private DevCertificateNames() {
    }

    /** This host's name, or nothing when it cannot be determined (the certificate then names localhost only). */
    static List<String> localHostNames() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() || name.equalsIgnoreCase("localhost") || isIpLiteral(name)
                    ? List.of()
                    : List.of(name.toLowerCase(Locale.ROOT));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /** {@code configured} when set (each checked to be a DNS host name), else {@link #localHostNames()}. */
    static List<String> hostNames(Optional<List<String>> configured) {
        if (configured.isEmpty()) {
            return localHostNames();
        }
        List<String> names = new ArrayList<>();
        for (String raw : configured.get()) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            boolean valid = !name.isEmpty() && name.length() <= 253 && !isIpLiteral(name)
                    && Arrays.stream(name.split("\\.", -1)).allMatch(l -> DNS_LABEL.matcher(l).matches());
            if (!valid) {
                throw new IllegalArgumentException(DevCertificates.KEY_NAMES + " must list DNS host names (such as "
                        + "validator,collector), was '" + raw + "'");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    /** {@code localhost} and the host names, in that order, without IP literals. */
    static Set<String> dnsNames(List<String> hostNames) {
        Set<String> names = new LinkedHashSet<>();
        names.add("localhost");
        for (String name : hostNames) {
            if (!isIpLiteral(name)) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.matches("[0-9.]+");
    }
}
