package io.reactivewatch.core;

/**
 * The single-flight state of one daemon run. Every change of state is one {@link #on(Event)} transition,
 * taken under the engine's lock; a transition that the engine must never attempt (a second tick while one
 * runs, say) throws, so a bug shows up as an error instead of an overlap.
 *
 * <pre>
 *            REQUEST                START                FINISH
 *   IDLE ───────────────► REQUIRED ───────► RUNNING ──────────────► IDLE
 *    ▲                   │  │  ▲  ▲  ▲         │ REQUEST
 *    └──────── SKIP ─────┘  │  │  │  │         ▼
 *                      HOLD │  │  │  └─FINISH── RUNNING_AND_REQUIRED
 *                           ▼  │  │                 │
 *                      HELD ───┘  │ BACKOFF_ELAPSED │ FAIL_AND_RETRY (also from RUNNING)
 *                     RELEASE     │                 │
 *                            BACKING_OFF ◄──────────┘
 * </pre>
 * A drain (the step that starts a tick) is scheduled on every transition <em>into</em> {@link #REQUIRED}
 * from another state, and only then, so at most one drain is ever outstanding. A drain that finds a
 * {@link Hold} open parks the work in {@link #HELD}, where requests schedule nothing; closing the last hold
 * moves it back to {@link #REQUIRED}.
 */
enum FlightState {
    /** Nothing runs and nothing asked to run. */
    IDLE,
    /** Something asked to run and a drain is scheduled; no tick runs. */
    REQUIRED,
    /** A tick runs; nothing new asked to run since it started. */
    RUNNING,
    /** A tick runs and something asked to run since it started: exactly one rerun follows. */
    RUNNING_AND_REQUIRED,
    /** A tick failed and a retry is due after a backoff; requests wait for it and join it. */
    BACKING_OFF,
    /** Work is waiting but a hold is open: no drain is scheduled until the last hold closes. */
    HELD;

    /** What happens to the single-flight state. */
    enum Event {
        /** Work may be waiting: a batch closed, a manual, periodic or start-up tick, a continuation. */
        REQUEST,
        /** A drain started a tick. */
        START,
        /** A drain found nothing to run (events cancelled out, or the daemon is stopping). */
        SKIP,
        /** The running tick ended and no retry is due. */
        FINISH,
        /** The running tick failed and the retry policy asks for a retry after a backoff. */
        FAIL_AND_RETRY,
        /** The retry backoff is over. */
        BACKOFF_ELAPSED,
        /** A drain found work waiting and a hold open. */
        HOLD,
        /** The last open hold closed. */
        RELEASE
    }

    /**
     * The state after {@code event}.
     *
     * @throws IllegalStateException if the event cannot happen in this state
     */
    FlightState on(Event event) {
        switch (this) {
            case IDLE:
                if (event == Event.REQUEST) {
                    return REQUIRED;
                }
                break;
            case REQUIRED:
                switch (event) {
                    case REQUEST:
                        return REQUIRED;
                    case START:
                        return RUNNING;
                    case SKIP:
                        return IDLE;
                    case HOLD:
                        return HELD;
                    default:
                        break;
                }
                break;
            case HELD:
                switch (event) {
                    case REQUEST:
                        return HELD;
                    case RELEASE:
                        return REQUIRED;
                    default:
                        break;
                }
                break;
            case RUNNING:
                switch (event) {
                    case REQUEST:
                        return RUNNING_AND_REQUIRED;
                    case FINISH:
                        return IDLE;
                    case FAIL_AND_RETRY:
                        return BACKING_OFF;
                    default:
                        break;
                }
                break;
            case RUNNING_AND_REQUIRED:
                switch (event) {
                    case REQUEST:
                        return RUNNING_AND_REQUIRED;
                    case FINISH:
                        return REQUIRED;
                    case FAIL_AND_RETRY:
                        return BACKING_OFF;
                    default:
                        break;
                }
                break;
            case BACKING_OFF:
                switch (event) {
                    case REQUEST:
                        return BACKING_OFF;
                    case BACKOFF_ELAPSED:
                        return REQUIRED;
                    default:
                        break;
                }
                break;
            default:
                break;
        }
        throw new IllegalStateException("single flight: " + event + " cannot happen in " + this);
    }

    /** Whether a tick runs in this state. */
    boolean running() {
        return this == RUNNING || this == RUNNING_AND_REQUIRED;
    }

    /** Whether moving from this state to {@code next} must schedule a drain. */
    boolean schedulesDrain(FlightState next) {
        return next == REQUIRED && this != REQUIRED;
    }
}
