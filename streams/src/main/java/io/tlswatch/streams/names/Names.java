package io.tlswatch.streams.names;

/**
 * The names of every processor, store and internal topic of the posture topology. They are part of the
 * job's persistent state (changelog and repartition topics are named after them): renaming one orphans its
 * state, so they change only with a migration. Tests look stores up by these constants.
 */
public final class Names {

    /** Input names, used in processor names and as the {@code input} tag of the dead-letter counter. */
    public static final String HANDSHAKES = "handshakes";
    public static final String LICENSE_CHECKS = "license-checks";
    public static final String CLIENT_REPORTS = "client-reports";

    /**
     * Event id to the window time of the newest event seen with it. Replaces the window store
     * {@code dedup-store} of earlier releases, whose changelog it cannot read (docs/streams.md, "Upgrading").
     */
    public static final String DEDUP_IDS_STORE = "dedup-ids-store";
    /**
     * Window time (8 bytes, big-endian, sign flipped) and event id, oldest first: which ids are due to be
     * forgotten. Not logged: it is derived from {@link #DEDUP_IDS_STORE} and rebuilt from it when a task starts.
     */
    public static final String DEDUP_DUE_STORE = "dedup-due-store";
    public static final String ADDRESS_BOOK_STORE = "address-book-store";
    /** Due time and remote address to the address: which address books time alone may shrink, in due order. */
    public static final String ADDRESS_DUE_STORE = "address-due-store";
    /** Remote address to the handshakes from it not attributed yet ({@code PendingHandshakes}). */
    public static final String PENDING_HANDSHAKES_STORE = "pending-handshakes-store";
    /** Due time and remote address to the address: whose held handshakes time alone may expire, in due order. */
    public static final String PENDING_DUE_STORE = "pending-due-store";
    public static final String CLIENT_STATE_STORE = "client-state-store";
    /** Due time and client id to client id: which clients time alone may change, in due order. */
    public static final String CLIENT_DUE_STORE = "client-due-store";
    /** Queryable: client id to its {@code ClientPosture} row. */
    public static final String CLIENT_POSTURE_STORE = "client-posture-store";
    public static final String FINGERPRINT_STATE_STORE = "fingerprint-state-store";
    public static final String FINGERPRINT_MEMBERS_STORE = "fingerprint-members-store";
    /** Queryable: JA4 to its {@code FingerprintPosture} row. */
    public static final String FINGERPRINT_POSTURE_STORE = "fingerprint-posture-store";

    public static final String LICENSE_STATE_STORE = "license-state-store";
    public static final String LICENSE_MEMBERS_STORE = "license-members-store";

    /** Internal topics are {@code <application.id>-<name>-repartition}. */
    public static final String BY_ADDRESS = "by-address";
    public static final String BY_CLIENT = "by-client";
    public static final String BY_FINGERPRINT = "by-fingerprint";
    public static final String BY_LICENSE = "by-license";

    public static final String ATTRIBUTION = "attribution";
    public static final String POSTURE = "posture";
    public static final String FINGERPRINTS = "fingerprints";
    public static final String LICENSE_SHARING = "license-sharing";

    private Names() {
    }

    public static String source(String input) {
        return input + "-source";
    }

    public static String parse(String input) {
        return input + "-parse";
    }

    public static String dedup(String input) {
        return input + "-dedup";
    }

    public static String deadLetterSink(String input) {
        return input + "-dead-letter-sink";
    }

    /** The repartition topic Kafka Streams creates for {@code name}. */
    public static String repartitionTopic(String applicationId, String name) {
        return applicationId + "-" + name + "-repartition";
    }

    /** The changelog topic Kafka Streams creates for a store. */
    public static String changelogTopic(String applicationId, String store) {
        return applicationId + "-" + store + "-changelog";
    }
}
