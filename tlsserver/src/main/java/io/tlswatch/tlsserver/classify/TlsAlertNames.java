package io.tlswatch.tlsserver.classify;

import java.util.Map;

import static java.util.Map.entry;

/** The TLS alert descriptions (IANA "TLS Alerts" registry) by code and name. */
public final class TlsAlertNames {

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            entry(0, "close_notify"),
            entry(10, "unexpected_message"),
            entry(20, "bad_record_mac"),
            entry(21, "decryption_failed"),
            entry(22, "record_overflow"),
            entry(40, "handshake_failure"),
            entry(41, "no_certificate"),
            entry(42, "bad_certificate"),
            entry(43, "unsupported_certificate"),
            entry(44, "certificate_revoked"),
            entry(45, "certificate_expired"),
            entry(46, "certificate_unknown"),
            entry(47, "illegal_parameter"),
            entry(48, "unknown_ca"),
            entry(49, "access_denied"),
            entry(50, "decode_error"),
            entry(51, "decrypt_error"),
            entry(70, "protocol_version"),
            entry(71, "insufficient_security"),
            entry(80, "internal_error"),
            entry(86, "inappropriate_fallback"),
            entry(90, "user_canceled"),
            entry(100, "no_renegotiation"),
            entry(109, "missing_extension"),
            entry(110, "unsupported_extension"),
            entry(112, "unrecognized_name"),
            entry(113, "bad_certificate_status_response"),
            entry(115, "unknown_psk_identity"),
            entry(116, "certificate_required"),
            entry(120, "no_application_protocol"));

    private TlsAlertNames() {
    }

    public static String name(int code) {
        return NAMES.getOrDefault(code, "alert_" + code);
    }
}
