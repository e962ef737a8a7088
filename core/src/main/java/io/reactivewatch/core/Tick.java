package io.reactivewatch.core;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One reconcile request: a change set, the triggers that caused it, and its sequence number.
 *
 * @param number   1 for the first tick of a daemon run, increasing by one per tick
 * @param triggers why this tick runs (never empty); unmodifiable
 * @param changes  the net changes since the reconciler last succeeded for these paths
 */
public record Tick(long number, Set<Trigger> triggers, ChangeSet changes) {

    /**
     * Validates and copies the components.
     *
     * @param number   1 for the first tick of a daemon run, increasing by one per tick
     * @param triggers why this tick runs (never empty); unmodifiable
     * @param changes  the net changes since the reconciler last succeeded for these paths
     * @throws NullPointerException     if {@code triggers} or {@code changes} is {@code null}
     * @throws IllegalArgumentException if {@code triggers} is empty or {@code number} is below 1
     */
    public Tick {
        Objects.requireNonNull(triggers, "triggers");
        Objects.requireNonNull(changes, "changes");
        if (triggers.isEmpty()) {
            throw new IllegalArgumentException("a tick needs at least one trigger");
        }
        if (number < 1) {
            throw new IllegalArgumentException("tick number must be at least 1, was " + number);
        }
        triggers = Collections.unmodifiableSet(EnumSet.copyOf(triggers));
    }
}
