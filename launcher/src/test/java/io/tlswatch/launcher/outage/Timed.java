package io.tlswatch.launcher.outage;

/** One license check by a checking client: when it was sent (System.nanoTime) and how long its answer took. */
record Timed(long sentNanos, long micros) {

    /** Whether it was sent and answered within [from, to). */
    boolean within(long from, long to) {
        return sentNanos >= from && sentNanos + micros * 1_000 < to;
    }
}
