package io.reactivewatch.core;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The counters and last-tick facts of one daemon run, in one place. Mutable and not thread-safe: the engine
 * changes and reads it under its lock, and {@link FlightEngine#status()} turns it into an immutable
 * {@link DaemonStatus}.
 */
final class DaemonStats {
    long eventsSeen;
    long batchesSeen;
    long coalescedEvents;
    long droppedChanges;
    long rescans;
    /** A long, not an Instant: no allocation per event. {@link Long#MIN_VALUE} until the first event. */
    long lastEventMillis = Long.MIN_VALUE;
    long ticksFinished;
    Instant lastTickAt;
    Set<Trigger> lastTickTrigger = EnumSet.noneOf(Trigger.class);
    Long lastTickDuration;
    int lastTickChanges;
    Outcome lastOutcome;
    int consecutiveFailures;
    String lastError;
    String sourceError;
    /** How many state writes failed. */
    long persistFailures;
    /** Why the last state write failed, or null once one succeeded. */
    String persistProblem;
    /** Requests for a tick that found a hold open. */
    long deferredTicks;

    Instant lastEventAt() {
        return lastEventMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastEventMillis);
    }

    /** Records how a tick ended. */
    void finished(TickResult<?> r) {
        ticksFinished++;
        lastTickAt = r.finishedAt();
        lastTickTrigger = EnumSet.copyOf(r.tick().triggers());
        lastTickDuration = r.duration().toMillis();
        lastTickChanges = r.tick().changes().size();
        lastOutcome = r.outcome();
        if (r.outcome() == Outcome.OK) {
            consecutiveFailures = 0;
        } else if (r.outcome() != Outcome.CANCELLED) {
            consecutiveFailures++;
        }
    }
}
