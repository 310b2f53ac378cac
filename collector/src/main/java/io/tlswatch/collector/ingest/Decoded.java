package io.tlswatch.collector.ingest;

import java.util.List;

/** The outcome of decoding one request body: the whole batch, or the refusal of the whole batch. */
public sealed interface Decoded {

    /**
     * @param reports  the reports to write, in the order they came
     * @param ignored  reports accepted but not stored (NEL reports of other types, NEL success reports)
     * @param received how many reports the body held in all
     */
    record Accepted(List<Candidate> reports, int ignored, int received) implements Decoded {
        public Accepted {
            reports = List.copyOf(reports);
        }
    }

    record Refused(Refusal refusal) implements Decoded {
    }
}
