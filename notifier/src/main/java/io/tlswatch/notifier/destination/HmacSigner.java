package io.tlswatch.notifier.destination;

import io.tlswatch.notifier.config.SecretValue;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/** HMAC-SHA256 over {@code timestamp + "." + body}, as lowercase hex: what a webhook receiver recomputes. */
final class HmacSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;

    HmacSigner(SecretValue key) {
        this.key = new SecretKeySpec(key.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    String sign(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) '.');
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
