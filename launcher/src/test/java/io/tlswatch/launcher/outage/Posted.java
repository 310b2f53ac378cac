package io.tlswatch.launcher.outage;

/** One report posted to the collector and its answer ({@code retryAfter} null when the answer had none). */
record Posted(String clientId, String reportId, int status, String retryAfter, long sentNanos, long answeredNanos) {
}
