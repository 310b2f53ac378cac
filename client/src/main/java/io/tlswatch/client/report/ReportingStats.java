package io.tlswatch.client.report;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the reports, counted: the application (or its monitoring) reads {@link #snapshot()}. Reporting
 * never throws into the application, so this is where its failures show.
 */
public final class ReportingStats {

    final AtomicLong made = new AtomicLong();
    final AtomicLong deliveredHttps = new AtomicLong();
    final AtomicLong deliveredHttp = new AtomicLong();
    final AtomicLong spooled = new AtomicLong();
    final AtomicLong deliveredFromSpool = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    public Snapshot snapshot() {
        return new Snapshot(made.get(), deliveredHttps.get(), deliveredHttp.get(), spooled.get(),
                deliveredFromSpool.get(), rejected.get(), dropped.get(), errors.get());
    }

    /** The counts at one moment. */
    public static final class Snapshot {
        private final long made;
        private final long deliveredHttps;
        private final long deliveredHttp;
        private final long spooled;
        private final long deliveredFromSpool;
        private final long rejected;
        private final long dropped;
        private final long errors;

        Snapshot(long made, long deliveredHttps, long deliveredHttp, long spooled, long deliveredFromSpool,
                 long rejected, long dropped, long errors) {
            this.made = made;
            this.deliveredHttps = deliveredHttps;
            this.deliveredHttp = deliveredHttp;
            this.spooled = spooled;
            this.deliveredFromSpool = deliveredFromSpool;
            this.rejected = rejected;
            this.dropped = dropped;
            this.errors = errors;
        }

        /** Reports made from failures. */
        public long made() {
            return made;
        }

        /** Delivered at once over HTTPS. */
        public long deliveredHttps() {
            return deliveredHttps;
        }

        /** Delivered at once over the plain HTTP fallback. */
        public long deliveredHttp() {
            return deliveredHttp;
        }

        /** Written to the spool because neither channel took them. */
        public long spooled() {
            return spooled;
        }

        /** Delivered later from the spool, over either channel. */
        public long deliveredFromSpool() {
            return deliveredFromSpool;
        }

        /** Refused by the collector as invalid (4xx): not retried. */
        public long rejected() {
            return rejected;
        }

        /** Lost: the queue or the spool was full. */
        public long dropped() {
            return dropped;
        }

        /** Unexpected failures inside reporting (a full disk, a bug), caught. */
        public long errors() {
            return errors;
        }

        @Override
        public String toString() {
            return "made=" + made + " https=" + deliveredHttps + " http=" + deliveredHttp + " spooled=" + spooled
                    + " fromSpool=" + deliveredFromSpool + " rejected=" + rejected + " dropped=" + dropped
                    + " errors=" + errors;
        }
    }
}
