package io.reactivewatch.core;

/**
 * The lifecycle of one daemon: {@code NEW → STARTED → STOPPING → TERMINATED}, or {@code NEW → TERMINATED}
 * when stopped before it started. Each step is one {@link #on(Event)} transition under the engine's lock.
 */
enum Lifecycle {
    /** Built, not started: {@code tickNow()} fails, {@code start()} may be called once. */
    NEW,
    /** Watching and ticking. */
    STARTED,
    /** Stop requested: the source is cancelled, no tick starts, a running tick gets the grace period. */
    STOPPING,
    /** Everything ended: state persisted, the source closed, the fluxes completed. */
    TERMINATED;

    /** What happens to the lifecycle. */
    enum Event {
        /** {@code start()} was called. */
        START,
        /** {@code stop()} was called (or the upstream of a single-flight transformer ended). */
        STOP,
        /** Termination finished: nothing runs any more. */
        TERMINATE
    }

    /**
     * The lifecycle after {@code event}. Stopping is idempotent: {@code STOP} keeps {@code STOPPING} and
     * {@code TERMINATED} as they are.
     *
     * @throws IllegalStateException if the event cannot happen now, with a message for the caller
     */
    Lifecycle on(Event event) {
        switch (event) {
            case START:
                if (this == NEW) {
                    return STARTED;
                }
                throw new IllegalStateException(this == STARTED
                        ? "daemon already started; a daemon runs once, build a new one"
                        : "daemon was stopped; a daemon runs once, build a new one");
            case STOP:
                return this == NEW ? TERMINATED : this == STARTED ? STOPPING : this;
            case TERMINATE:
                if (this == STOPPING || this == TERMINATED) {
                    return TERMINATED;
                }
                throw new IllegalStateException("lifecycle: cannot terminate from " + this);
            default:
                throw new AssertionError(event);
        }
    }
}
