package io.tlswatch.tlsserver.classify;

import java.nio.ByteBuffer;
import java.util.OptionalInt;

/**
 * Follows the TLS record framing of what a client sends before the handshake completes, and notes the first
 * alert it sends in the clear.
 *
 * <p>Why: a TLS 1.3 client that rejects the server's certificate (curl, OpenSSL with an old trust store) sends
 * its alert unencrypted, while the server already expects encrypted records. The provider then reports only a
 * decoding error ({@code BAD_PACKET_LENGTH} from BoringSSL, "Insufficient buffer remaining for AEAD cipher
 * fragment (2)" from the JDK), never the alert; this scanner recovers it from the bytes. Feed it every inbound
 * buffer before the TLS handler sees it, until the handshake ends. It reads without consuming, keeps no buffer
 * of its own (a few bytes of state), and stops after {@value #MAX_SCANNED_BYTES} bytes or at anything that is
 * not TLS record framing. One instance per connection, confined to its event loop.
 */
public final class ClientAlertScanner {

    static final int MAX_SCANNED_BYTES = 64 * 1024;

    private static final int ALERT = 21;
    private static final int HEADER_LENGTH = 5;

    private final byte[] header = new byte[HEADER_LENGTH];
    private int headerFill;
    private int bodyRemaining;
    private boolean inAlertBody;
    private int alertBodyFill;
    private int alertLevel;
    private int alertDescription = -1;
    private long scanned;
    private boolean stopped;

    /** Reads {@code bytes} from its position to its limit without moving either. */
    public void scan(ByteBuffer bytes) {
        for (int i = bytes.position(); i < bytes.limit() && !stopped; i++) {
            if (++scanned > MAX_SCANNED_BYTES) {
                stopped = true;
                return;
            }
            accept(bytes.get(i) & 0xFF);
        }
    }

    /** Reads a byte array. */
    public void scan(byte[] bytes) {
        scan(ByteBuffer.wrap(bytes));
    }

    /** The description code of the first alert the client sent in the clear, if any. */
    public OptionalInt alert() {
        return alertDescription < 0 ? OptionalInt.empty() : OptionalInt.of(alertDescription);
    }

    private void accept(int value) {
        if (bodyRemaining > 0) {
            bodyRemaining--;
            if (inAlertBody) {
                if (alertBodyFill++ == 0) {
                    alertLevel = value;
                } else {
                    // A record may hold several alerts; the first complete one is the client's reason.
                    if (alertDescription < 0 && alertBodyFill == 2) {
                        alertDescription = value;
                        stopped = alertLevel == 2;
                    }
                    alertBodyFill = alertBodyFill == 2 ? 0 : alertBodyFill;
                }
            }
            return;
        }
        header[headerFill++] = (byte) value;
        if (headerFill < HEADER_LENGTH) {
            // An SSLv2-format hello or anything but a TLS record ends the scan.
            if (headerFill == 2 && (header[1] & 0xFF) != 3) {
                stopped = true;
            }
            return;
        }
        headerFill = 0;
        int type = header[0] & 0xFF;
        int length = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
        if (type < 20 || type > 24 || length == 0) {
            stopped = true;
            return;
        }
        bodyRemaining = length;
        inAlertBody = type == ALERT;
        alertBodyFill = 0;
    }
}
