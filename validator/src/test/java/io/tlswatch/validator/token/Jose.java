package io.tlswatch.validator.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Hand-made compact JWSs: what an attacker can send, whatever a library would refuse to produce. */
final class Jose {

    private Jose() {
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }

    /** {@code header.payload.signature} with the given raw signature bytes. */
    static String compact(String headerJson, String payloadJson, byte[] signature) {
        return b64(headerJson) + "." + b64(payloadJson) + "." + b64(signature);
    }

    /** Signs exactly these header and payload bytes with {@code signer} under {@code alg}. */
    static String sign(String headerJson, String payloadJson, JWSAlgorithm alg, JWSSigner signer) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        try {
            byte[] signature = signer.sign(new JWSHeader(alg), signingInput.getBytes(StandardCharsets.US_ASCII))
                    .decode();
            return signingInput + "." + b64(signature);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decoded header of a compact JWS. */
    static String header(String compact) {
        return decode(compact.substring(0, compact.indexOf('.')));
    }

    /** The decoded payload of a compact JWS. */
    static String payload(String compact) {
        return decode(compact.split("\\.")[1]);
    }

    /** {@code depth} nested arrays: [[[...]]]. */
    static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }
}
