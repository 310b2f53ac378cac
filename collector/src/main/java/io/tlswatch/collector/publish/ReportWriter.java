package io.tlswatch.collector.publish;

import io.tlswatch.collector.dedup.DedupWindow;
import io.tlswatch.collector.ingest.Candidate;
import io.tlswatch.collector.limit.RateLimits;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Takes the decoded reports of one request to Kafka: drops those already written within the dedup window (and
 * repeats within the request), applies the per-client rate limit, bounds the requests in flight, sends, and
 * remembers what Kafka acknowledged. The outcome goes to {@code done} exactly once, possibly on a Kafka thread.
 */
public final class ReportWriter implements ReportStore {

    private final DedupWindow dedup;
    private final RateLimits limits;
    private final AcknowledgedSender sender;
    private final LongSupplier nanoTime;

    public ReportWriter(DedupWindow dedup, RateLimits limits, AcknowledgedSender sender, LongSupplier nanoTime) {
        this.dedup = dedup;
        this.limits = limits;
        this.sender = sender;
        this.nanoTime = nanoTime;
    }

    @Override
    public void write(List<Candidate> reports, Consumer<Outcome> done) {
        long now = nanoTime.getAsLong();
        List<Candidate> fresh = new ArrayList<>(reports.size());
        Set<String> inRequest = new HashSet<>();
        for (Candidate report : reports) {
            if (inRequest.add(report.dedupKey()) && !dedup.contains(report.dedupKey(), now)) {
                fresh.add(report);
            }
        }
        int duplicates = reports.size() - fresh.size();
        if (fresh.isEmpty()) {
            done.accept(new Outcome.Written(0, duplicates));
            return;
        }
        RateLimits.Hit hit = limits.reports(fresh, now);
        if (hit != null) {
            done.accept(new Outcome.RateLimited(hit.limit(), hit.retryAfterSeconds()));
            return;
        }
        if (!sender.tryAcquire()) {
            done.accept(new Outcome.Overloaded());
            return;
        }
        sender.send(fresh, result -> {
            long ackedAt = nanoTime.getAsLong();
            for (Candidate acked : result.acknowledged()) {
                dedup.remember(acked.dedupKey(), ackedAt);
            }
            done.accept(result.complete() ? new Outcome.Written(fresh.size(), duplicates)
                    : new Outcome.Failed(result.failure().toString()));
        });
    }
}
