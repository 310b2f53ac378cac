package io.tlswatch.collector.ingest;

import java.util.List;

/**
 * The outcome of decoding one request body: the reports to write, or the refusal of the whole request. A native
 * batch is taken or refused whole; a NEL batch is taken item by item (browsers do not look at the answer).
 */
public sealed interface Decoded {

    /**
     * @param reports  the reports to write, in the order they came
     * @param received how many items the body held in all
     * @param skips    the items not to store, with why (NEL only; a native batch has none)
     */
    record Accepted(List<Candidate> reports, int received, List<Skip> skips) implements Decoded {
        public Accepted {
            reports = List.copyOf(reports);
            skips = List.copyOf(skips);
        }

        /** Well-formed reports not stored: NEL reports of other types and NEL success samples. */
        public int ignored() {
            return (int) skips.stream().filter(s -> s.reason().ignored()).count();
        }

        /** Items that could not be read as a report. */
        public List<Skip> skipped() {
            return skips.stream().filter(s -> !s.reason().ignored()).toList();
        }
    }

    record Refused(Refusal refusal) implements Decoded {
    }
}
