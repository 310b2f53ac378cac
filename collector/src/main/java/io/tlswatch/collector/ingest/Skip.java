package io.tlswatch.collector.ingest;

import java.util.List;

/**
 * One item of a batch that was not stored.
 *
 * @param reason   why
 * @param problems what is wrong with it, each naming its field by JSON pointer; empty for an ignored report
 */
public record Skip(SkipReason reason, List<Problem> problems) {

    public Skip {
        problems = List.copyOf(problems);
    }

    static Skip ignored(SkipReason reason) {
        return new Skip(reason, List.of());
    }

    static Skip unreadable(List<Problem> problems) {
        return new Skip(SkipReason.of(problems.get(0)), problems);
    }
}
