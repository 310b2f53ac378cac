package io.tlswatch.contract.event;

import java.time.Instant;

/**
 * The envelope part of every event builder: a fresh random id by default, and the time and source that
 * every event must be given.
 */
public abstract class EventBuilder<B extends EventBuilder<B>> {

    protected String id = Fields.newId();
    protected Instant time;
    protected String source;

    protected EventBuilder() {
    }

    /** Overrides the random id, e.g. to re-emit an event under its original id. */
    public B id(String value) {
        this.id = value;
        return self();
    }

    /** When it happened (not when it is sent). */
    public B time(Instant value) {
        this.time = value;
        return self();
    }

    /** The emitting node, {@code <service>@<node>}. */
    public B source(String value) {
        this.source = value;
        return self();
    }

    protected abstract B self();
}
