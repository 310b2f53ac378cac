package io.tlswatch.contract.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * What a client offered in its ClientHello, decoded, with the fingerprints computed from it.
 *
 * <p>Spelling, chosen so that a reader needs no IANA tables: versions as the JDK and OpenSSL name them
 * ({@code SSLv3}, {@code TLSv1}, {@code TLSv1.1}, {@code TLSv1.2}, {@code TLSv1.3}); cipher suites, groups and
 * signature schemes by their IANA names; any code point without a known name as {@code 0xNNNN} (four
 * lowercase hex digits); extensions and point formats as their decimal IANA numbers, as JA3 writes them.
 * GREASE values (RFC 8701) are left out of every list, as the fingerprints leave them out.
 *
 * @param legacyVersion         the ClientHello's {@code legacy_version} field
 * @param supportedVersions     the {@code supported_versions} extension, in offered order; empty when absent
 * @param cipherSuites          in offered order
 * @param extensions            extension type numbers, in the order they appeared
 * @param supportedGroups       the {@code supported_groups} extension, in offered order
 * @param ecPointFormats        the {@code ec_point_formats} extension
 * @param signatureAlgorithms   the {@code signature_algorithms} extension, in offered order
 * @param alpn                  the ALPN protocol names, in offered order
 * @param sni                   the server name asked for; {@code null} when the client sent none
 * @param highestOfferedVersion the highest of {@code supportedVersions}, else {@code legacyVersion}; in a partial
 *                              hello, {@code null} unless {@code supported_versions} was read (what it would have
 *                              said is unknown)
 * @param ja3                   the JA3 string; {@code null} in a partial hello
 * @param ja3Hash               the MD5 of {@link #ja3}, lowercase hex; {@code null} in a partial hello
 * @param ja4                   the JA4 fingerprint; {@code null} in a partial hello
 * @param ja4R                  the raw (unhashed) JA4, {@code ja4_r}; {@code null} in a partial hello
 * @param partial               {@code true} when the hello could be read only up to a malformed extension: the
 *                              lists hold what came before it; {@code null} (absent in JSON) for a whole hello, so
 *                              that events written before this field read as whole
 * @param failedExtension       the name of the extension that could not be read, in a partial hello; else
 *                              {@code null}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClientHelloSummary(
        String legacyVersion,
        List<String> supportedVersions,
        List<String> cipherSuites,
        List<Integer> extensions,
        List<String> supportedGroups,
        List<Integer> ecPointFormats,
        List<String> signatureAlgorithms,
        List<String> alpn,
        String sni,
        String highestOfferedVersion,
        String ja3,
        String ja3Hash,
        String ja4,
        String ja4R,
        Boolean partial,
        String failedExtension) {

    public ClientHelloSummary {
        Fields.text("legacyVersion", legacyVersion);
        supportedVersions = Fields.list("supportedVersions", supportedVersions);
        cipherSuites = Fields.list("cipherSuites", cipherSuites);
        extensions = Fields.list("extensions", extensions);
        supportedGroups = Fields.list("supportedGroups", supportedGroups);
        ecPointFormats = Fields.list("ecPointFormats", ecPointFormats);
        signatureAlgorithms = Fields.list("signatureAlgorithms", signatureAlgorithms);
        alpn = Fields.list("alpn", alpn);
        Fields.optionalText("sni", sni);
        // One spelling of "whole": absent, never false.
        partial = Boolean.TRUE.equals(partial) ? Boolean.TRUE : null;
        if (partial == null) {
            Fields.text("highestOfferedVersion", highestOfferedVersion);
            Fields.text("ja3", ja3);
            Fields.text("ja3Hash", ja3Hash);
            Fields.text("ja4", ja4);
            Fields.text("ja4R", ja4R);
            if (failedExtension != null) {
                throw new IllegalArgumentException("field 'failedExtension' is only for a partial hello");
            }
        } else {
            Fields.optionalText("highestOfferedVersion", highestOfferedVersion);
            // A fingerprint of part of a hello would pass for a client that does not exist (docs/fingerprints.md).
            if (ja3 != null || ja3Hash != null || ja4 != null || ja4R != null) {
                throw new IllegalArgumentException("field 'ja4' must be absent in a partial hello, as must ja3,"
                        + " ja3Hash and ja4R");
            }
            Fields.text("failedExtension", failedExtension);
        }
    }

    /** Whether this is a hello read only up to a malformed extension. */
    public boolean incomplete() {
        return Boolean.TRUE.equals(partial);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private String legacyVersion;
        private List<String> supportedVersions;
        private List<String> cipherSuites;
        private List<Integer> extensions;
        private List<String> supportedGroups;
        private List<Integer> ecPointFormats;
        private List<String> signatureAlgorithms;
        private List<String> alpn;
        private String sni;
        private String highestOfferedVersion;
        private String ja3;
        private String ja3Hash;
        private String ja4;
        private String ja4R;
        private Boolean partial;
        private String failedExtension;

        private Builder() {
        }

        public Builder legacyVersion(String value) {
            this.legacyVersion = value;
            return this;
        }

        public Builder supportedVersions(List<String> value) {
            this.supportedVersions = value;
            return this;
        }

        public Builder cipherSuites(List<String> value) {
            this.cipherSuites = value;
            return this;
        }

        public Builder extensions(List<Integer> value) {
            this.extensions = value;
            return this;
        }

        public Builder supportedGroups(List<String> value) {
            this.supportedGroups = value;
            return this;
        }

        public Builder ecPointFormats(List<Integer> value) {
            this.ecPointFormats = value;
            return this;
        }

        public Builder signatureAlgorithms(List<String> value) {
            this.signatureAlgorithms = value;
            return this;
        }

        public Builder alpn(List<String> value) {
            this.alpn = value;
            return this;
        }

        public Builder sni(String value) {
            this.sni = value;
            return this;
        }

        public Builder highestOfferedVersion(String value) {
            this.highestOfferedVersion = value;
            return this;
        }

        /** The JA3 string and its MD5. */
        public Builder ja3(String ja3, String ja3Hash) {
            this.ja3 = ja3;
            this.ja3Hash = ja3Hash;
            return this;
        }

        /** The JA4 fingerprint and its raw form. */
        public Builder ja4(String ja4, String ja4R) {
            this.ja4 = ja4;
            this.ja4R = ja4R;
            return this;
        }

        /** Marks the hello as read only up to the extension named {@code failedExtension}. */
        public Builder partial(String failedExtension) {
            this.partial = Boolean.TRUE;
            this.failedExtension = failedExtension;
            return this;
        }

        public ClientHelloSummary build() {
            return new ClientHelloSummary(legacyVersion, supportedVersions, cipherSuites, extensions,
                    supportedGroups, ecPointFormats, signatureAlgorithms, alpn, sni, highestOfferedVersion,
                    ja3, ja3Hash, ja4, ja4R, partial, failedExtension);
        }
    }
}
