package io.tlswatch.validator.token;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A compact JWS ({@code header.payload.signature}) split, decoded and parsed under hard bounds, before any
 * signature is checked. This is the only JSON parser untrusted token and proof bytes meet: the length is
 * checked before anything else, the nesting depth is counted before a parser sees the text, and duplicate
 * member names are refused, so that no later reader (Nimbus's, the SDK's) can see a different document.
 *
 * @param signingInput the ASCII {@code header.payload} the signature covers, exactly as received
 * @param header       the protected header, a JSON object
 * @param payload      the payload, a JSON object
 * @param signature    the decoded signature, possibly empty
 */
record CompactJws(String signingInput, ObjectNode header, ObjectNode payload, byte[] signature) {

    /**
     * Deepest JSON nesting accepted. A token or proof needs 2 ({@code cnf}, {@code jwk}); 8 leaves room for
     * claims a client library adds without letting a nesting bomb reach a recursive parser.
     */
    static final int MAX_NESTING_DEPTH = 8;

    private static final ObjectReader READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxNameLength(256)
                            .maxNumberLength(32)
                            .build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .reader();

    /** Why a compact JWS was refused before its signature was looked at. */
    enum Problem {
        TOO_LARGE, MALFORMED, TOO_DEEP
    }

    /** The outcome of {@link #parse}. */
    sealed interface Parsed {
    }

    record Ok(CompactJws jws) implements Parsed {
    }

    record Refused(Problem problem, String detail) implements Parsed {
    }

    /**
     * Parses {@code compact}, refusing anything longer than {@code maxLength} characters unread.
     * Never throws on any input.
     */
    static Parsed parse(String compact, int maxLength) {
        if (compact == null || compact.isEmpty()) {
            return new Refused(Problem.MALFORMED, "empty");
        }
        if (compact.length() > maxLength) {
            return new Refused(Problem.TOO_LARGE, "longer than " + maxLength + " characters");
        }
        int firstDot = compact.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : compact.indexOf('.', firstDot + 1);
        if (secondDot < 0 || compact.indexOf('.', secondDot + 1) >= 0) {
            return new Refused(Problem.MALFORMED, "not a compact JWS of three dot-separated parts");
        }
        String headerPart = compact.substring(0, firstDot);
        String payloadPart = compact.substring(firstDot + 1, secondDot);
        String signaturePart = compact.substring(secondDot + 1);
        if (headerPart.isEmpty() || payloadPart.isEmpty()) {
            return new Refused(Problem.MALFORMED, "empty header or payload");
        }
        byte[] headerBytes = decode(headerPart);
        byte[] payloadBytes = decode(payloadPart);
        byte[] signature = decode(signaturePart);
        if (headerBytes == null || payloadBytes == null || signature == null) {
            return new Refused(Problem.MALFORMED, "a part is not base64url without padding");
        }
        Object header = object(headerBytes, "header");
        if (header instanceof Refused refused) {
            return refused;
        }
        Object payload = object(payloadBytes, "payload");
        if (payload instanceof Refused refused) {
            return refused;
        }
        return new Ok(new CompactJws(compact.substring(0, secondDot), (ObjectNode) header, (ObjectNode) payload,
                signature));
    }

    /** Base64url without padding, strictly: any other character, padding included, is refused. */
    static byte[] decode(String part) {
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!allowed) {
                return null;
            }
        }
        if (part.length() % 4 == 1) {
            return null;
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** An ObjectNode, or a Refused naming what is wrong with the bytes. */
    private static Object object(byte[] bytes, String what) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new Refused(Problem.MALFORMED, what + " is not UTF-8");
        }
        if (depth(text) > MAX_NESTING_DEPTH) {
            return new Refused(Problem.TOO_DEEP, what + " nests JSON deeper than " + MAX_NESTING_DEPTH + " levels");
        }
        try {
            JsonNode node = READER.readTree(text);
            if (node == null || !node.isObject()) {
                return new Refused(Problem.MALFORMED, what + " is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            return new Refused(Problem.MALFORMED, what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * The deepest nesting of arrays and objects in {@code json}, counted without parsing (brackets inside
     * strings do not count). For malformed text the count may be off, but the parser refuses such text anyway.
     */
    static int depth(String json) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
                deepest = Math.max(deepest, depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
    }
}
