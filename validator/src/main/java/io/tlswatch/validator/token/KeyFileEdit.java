package io.tlswatch.validator.token;

import java.util.List;
import java.util.Objects;

/**
 * A key file rewritten by {@link KeyFileEdits}: its new text and the kids the edit concerns (which ones each edit
 * names is said on its method).
 */
public record KeyFileEdit(String text, List<String> kids) {

    public KeyFileEdit {
        Objects.requireNonNull(text, "text");
        kids = List.copyOf(kids);
    }
}
