package io.tlswatch.collector.http;

import io.tlswatch.collector.ingest.NativeReportDecoder;
import io.tlswatch.collector.ingest.NelReportDecoder;
import io.tlswatch.collector.ingest.ReportSignatureVerifier;
import io.tlswatch.collector.limit.RateLimits;
import io.tlswatch.collector.publish.ReportStore;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * What every connection's {@link ReportsHandler} shares: the decoders, the signature check, the limits, the
 * writer, the meters, and the time Kafka is given to acknowledge before the client is told to retry.
 *
 * @param retryAfter the {@code Retry-After} of a 503 (Kafka too slow, too many requests in flight)
 */
public record ReportApi(NativeReportDecoder nativeDecoder, NelReportDecoder nelDecoder,
                        ReportSignatureVerifier signatures, RateLimits limits, ReportStore writer,
                        CollectorMetrics metrics, Duration ackTimeout, Duration retryAfter, Clock clock,
                        LongSupplier nanoTime) {
}
