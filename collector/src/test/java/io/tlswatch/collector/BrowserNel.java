package io.tlswatch.collector;

/**
 * NEL batches byte for byte as browsers post them ({@code Content-Type: application/reports+json}), for a site
 * whose users cannot complete a TLS handshake with it.
 *
 * <p><b>Chrome</b> (Chromium {@code net/reporting/reporting_delivery_agent.cc}, {@code SerializeReports}): a JSON
 * array of {@code {"age", "type", "url", "user_agent", "body"}} written by {@code base::JSONWriter}, compact and
 * with each object's keys in sorted order, {@code age} in whole milliseconds. The body is
 * {@code net/network_error_logging/network_error_logging_service.cc}, {@code CreateReportBody}: every key always
 * present: {@code referrer} (the referrer's spec, {@code ""} when none), {@code sampling_fraction} (a double,
 * {@code 1.0}), {@code server_ip} ({@code IPAddress::ToString()}, {@code ""} when the connection never got an
 * address), {@code protocol} (the negotiated ALPN: {@code ""} when the request died before one, {@code "unknown"}
 * for {@code kProtoUnknown}), {@code method}, {@code status_code} ({@code 0}: no response), {@code elapsed_time},
 * {@code phase} ({@code "connection"} for TLS errors) and {@code type} from {@code kErrorTypes}
 * ({@code ERR_SSL_VERSION_OR_CIPHER_MISMATCH} is {@code tls.version_or_cipher_mismatch},
 * {@code ERR_CERT_AUTHORITY_INVALID} {@code tls.cert.authority_invalid}, an unmapped error {@code "unknown"}).
 *
 * <p><b>Firefox</b> (Gecko {@code netwerk/protocol/http/NetworkErrorLogging.sys.mjs}, {@code generateNELReport}):
 * {@code fetch(..., {body: JSON.stringify([report])})} with {@code Content-Type: application/reports+json}, one
 * report per request, keys in insertion order and <em>no {@code age}</em>: {@code {"type", "url", "user_agent",
 * "body"}}. The body starts {@code sampling_fraction} ({@code 1}), {@code elapsed_time} (always {@code 1}),
 * {@code phase}, {@code type}; outside the dns phase it adds {@code server_ip} and {@code protocol}; only in the
 * application phase {@code method} and {@code status_code}. Errors it does not map are typed {@code "unknown"}
 * followed by the channel's nsresult in decimal: a certificate from an unknown issuer is
 * {@code SEC_ERROR_UNKNOWN_ISSUER}, nsresult {@code 0x805A1FF3}, so {@code "unknown2153390067"}. When the address
 * differs from the one the policy came from, the report is downgraded to phase {@code dns}, type
 * {@code dns.address_changed}, with {@code elapsed_time} deleted.
 *
 * <p>The W3C NEL spec's own examples (w3c.github.io/network-error-logging, "sample network error reports") show
 * the same envelope and an empty {@code server_ip} for a failure before an address was known.
 */
public final class BrowserNel {

    public static final String CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    public static final String FIREFOX_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    private BrowserNel() {
    }

    /**
     * Chrome's batch after a user's two attempts at {@code site} failed: first the server accepted none of the
     * TLS versions and suites Chrome offers (no address, no protocol), then, after the server was fixed but its
     * chain not, the certificate's issuer was not trusted (ALPN not negotiated: {@code "unknown"}).
     */
    public static String chromeConnectionFailures(String site) {
        return "[{\"age\":41270,\"body\":{\"elapsed_time\":48,\"method\":\"GET\",\"phase\":\"connection\","
                + "\"protocol\":\"\",\"referrer\":\"\",\"sampling_fraction\":1.0,\"server_ip\":\"\","
                + "\"status_code\":0,\"type\":\"tls.version_or_cipher_mismatch\"},\"type\":\"network-error\","
                + "\"url\":\"" + site + "\",\"user_agent\":\"" + CHROME_UA + "\"},"
                + "{\"age\":1802,\"body\":{\"elapsed_time\":131,\"method\":\"GET\",\"phase\":\"connection\","
                + "\"protocol\":\"unknown\",\"referrer\":\"" + site + "\",\"sampling_fraction\":1.0,"
                + "\"server_ip\":\"203.0.113.10\",\"status_code\":0,\"type\":\"tls.cert.authority_invalid\"},"
                + "\"type\":\"network-error\",\"url\":\"" + site + "licenses\",\"user_agent\":\"" + CHROME_UA + "\"}]";
    }

    /** One Chrome report of a network error its table does not map: {@code type} {@code "unknown"}. */
    public static String chromeUnknownError(String url) {
        return "{\"age\":950,\"body\":{\"elapsed_time\":12,\"method\":\"POST\",\"phase\":\"connection\","
                + "\"protocol\":\"\",\"referrer\":\"\",\"sampling_fraction\":1.0,\"server_ip\":\"\","
                + "\"status_code\":0,\"type\":\"unknown\"},\"type\":\"network-error\",\"url\":\"" + url + "\","
                + "\"user_agent\":\"" + CHROME_UA + "\"}";
    }

    /** Firefox's request for a handshake that failed on the certificate's issuer: no age, no status code. */
    public static String firefoxUnknownIssuer(String url) {
        return "[{\"type\":\"network-error\",\"url\":\"" + url + "\",\"user_agent\":\"" + FIREFOX_UA + "\","
                + "\"body\":{\"sampling_fraction\":1,\"elapsed_time\":1,\"phase\":\"connection\","
                + "\"type\":\"unknown2153390067\",\"server_ip\":\"203.0.113.10\",\"protocol\":\"h2\"}}]";
    }

    /** Firefox's downgraded report (the address changed since the policy): no age, no elapsed time. */
    public static String firefoxAddressChanged(String url) {
        return "[{\"type\":\"network-error\",\"url\":\"" + url + "\",\"user_agent\":\"" + FIREFOX_UA + "\","
                + "\"body\":{\"sampling_fraction\":1,\"phase\":\"dns\",\"type\":\"dns.address_changed\","
                + "\"server_ip\":\"198.51.100.20\",\"protocol\":\"http/1.1\"}}]";
    }
}
