package io.tlswatch.validator.token;

/** Rejection details end up in logs and answers: text taken from the input is cut short and made printable. */
final class Details {

    static final int MAX_ECHO = 80;

    private Details() {
    }

    /** {@code text} with control and non-ASCII characters replaced by '?', at most {@value #MAX_ECHO} of them. */
    static String echo(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_ECHO) + 3);
        for (int i = 0; i < text.length() && i < MAX_ECHO; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > MAX_ECHO) {
            out.append("...");
        }
        return out.toString();
    }
}
