package io.tlswatch.tlsserver.clienthello;

import java.util.Map;

import static java.util.Map.entry;

/**
 * Names of TLS extension types (IANA "TLS ExtensionType Values"), for logs and documentation. Events carry
 * extensions as numbers, the way JA3 writes them; this table is for people reading them.
 */
public final class ExtensionTypes {

    public static final int SERVER_NAME = 0x0000;
    public static final int SUPPORTED_GROUPS = 0x000A;
    public static final int EC_POINT_FORMATS = 0x000B;
    public static final int SIGNATURE_ALGORITHMS = 0x000D;
    public static final int ALPN = 0x0010;
    public static final int SUPPORTED_VERSIONS = 0x002B;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            entry(0x0000, "server_name"),
            entry(0x0001, "max_fragment_length"),
            entry(0x0002, "client_certificate_url"),
            entry(0x0003, "trusted_ca_keys"),
            entry(0x0004, "truncated_hmac"),
            entry(0x0005, "status_request"),
            entry(0x0006, "user_mapping"),
            entry(0x0007, "client_authz"),
            entry(0x0008, "server_authz"),
            entry(0x0009, "cert_type"),
            entry(0x000A, "supported_groups"),
            entry(0x000B, "ec_point_formats"),
            entry(0x000C, "srp"),
            entry(0x000D, "signature_algorithms"),
            entry(0x000E, "use_srtp"),
            entry(0x000F, "heartbeat"),
            entry(0x0010, "application_layer_protocol_negotiation"),
            entry(0x0011, "status_request_v2"),
            entry(0x0012, "signed_certificate_timestamp"),
            entry(0x0013, "client_certificate_type"),
            entry(0x0014, "server_certificate_type"),
            entry(0x0015, "padding"),
            entry(0x0016, "encrypt_then_mac"),
            entry(0x0017, "extended_master_secret"),
            entry(0x0018, "token_binding"),
            entry(0x0019, "cached_info"),
            entry(0x001A, "tls_lts"),
            entry(0x001B, "compress_certificate"),
            entry(0x001C, "record_size_limit"),
            entry(0x001D, "pwd_protect"),
            entry(0x001E, "pwd_clear"),
            entry(0x001F, "password_salt"),
            entry(0x0020, "ticket_pinning"),
            entry(0x0021, "tls_cert_with_extern_psk"),
            entry(0x0022, "delegated_credential"),
            entry(0x0023, "session_ticket"),
            entry(0x0024, "TLMSP"),
            entry(0x0025, "TLMSP_proxying"),
            entry(0x0026, "TLMSP_delegate"),
            entry(0x0027, "supported_ekt_ciphers"),
            entry(0x0029, "pre_shared_key"),
            entry(0x002A, "early_data"),
            entry(0x002B, "supported_versions"),
            entry(0x002C, "cookie"),
            entry(0x002D, "psk_key_exchange_modes"),
            entry(0x002F, "certificate_authorities"),
            entry(0x0030, "oid_filters"),
            entry(0x0031, "post_handshake_auth"),
            entry(0x0032, "signature_algorithms_cert"),
            entry(0x0033, "key_share"),
            entry(0x0034, "transparency_info"),
            entry(0x0035, "connection_id_deprecated"),
            entry(0x0036, "connection_id"),
            entry(0x0037, "external_id_hash"),
            entry(0x0038, "external_session_id"),
            entry(0x0039, "quic_transport_parameters"),
            entry(0x003A, "ticket_request"),
            entry(0x003B, "dnssec_chain"),
            entry(0x003C, "sequence_number_encryption_algorithms"),
            entry(0x003D, "rrc"),
            entry(0x3374, "next_protocol_negotiation"),
            entry(0x4469, "application_settings_old"),
            entry(0x44CD, "application_settings"),
            entry(0xFE0D, "encrypted_client_hello"),
            entry(0xFF01, "renegotiation_info"));

    private ExtensionTypes() {
    }

    /** The IANA name, or {@code 0xNNNN} (lowercase hex) for a type not in the table, GREASE included. */
    public static String name(int type) {
        String name = NAMES.get(type);
        return name != null ? name : Hex.u16(type);
    }
}
