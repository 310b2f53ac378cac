package io.tlswatch.collector.ingest;

import io.tlswatch.contract.event.ClientReportEvent;

/**
 * A report ready to be written, with the key it is deduplicated on (the client's {@code reportId} within the
 * scope of its client, so that one client cannot suppress another's reports by reusing an id).
 */
public record Candidate(String dedupKey, ClientReportEvent event) {
}
