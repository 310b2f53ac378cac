package io.tlswatch.collector.publish;

import io.tlswatch.collector.ingest.Candidate;

import java.util.List;
import java.util.function.Consumer;

/** Where the HTTP handler hands the reports of one request; {@code done} runs exactly once, on any thread. */
@FunctionalInterface
public interface ReportStore {

    void write(List<Candidate> reports, Consumer<Outcome> done);
}
