package io.reactivewatch.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How one tick ended.
 *
 * @param tick       the tick that ran
 * @param outcome    how it ended
 * @param value      what the reconciler produced, or {@code null} (empty {@code Mono}, or not {@code OK})
 * @param error      the failure for {@link Outcome#FAILED} and {@link Outcome#TIMED_OUT}, else {@code null}
 * @param startedAt  when the reconcile was subscribed, on the daemon's clock
 * @param finishedAt when it ended, on the daemon's clock
 * @param <R>        the reconciler's result type
 */
public record TickResult<R extends @Nullable Object>(Tick tick, Outcome outcome, @Nullable R value,
        @Nullable Throwable error, Instant startedAt, Instant finishedAt) {

    /**
     * Validates the components.
     *
     * @param tick       the tick that ran
     * @param outcome    how it ended
     * @param value      what the reconciler produced, or {@code null} (empty {@code Mono}, or not {@code OK})
     * @param error      the failure for {@link Outcome#FAILED} and {@link Outcome#TIMED_OUT}, else {@code null}
     * @param startedAt  when the reconcile was subscribed, on the daemon's clock
     * @param finishedAt when it ended, on the daemon's clock
     * @throws NullPointerException if {@code tick}, {@code outcome}, {@code startedAt} or {@code finishedAt}
     *                              is {@code null}
     */
    public TickResult {
        Objects.requireNonNull(tick, "tick");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }

    /**
     * How long the reconcile ran.
     *
     * @return {@code finishedAt - startedAt}
     */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /**
     * Whether the reconcile completed.
     *
     * @return {@code true} for {@link Outcome#OK}
     */
    public boolean isOk() {
        return outcome == Outcome.OK;
    }

    /**
     * The reconciler's value, if it produced one.
     *
     * @return the value
     */
    public Optional<R> valueIfPresent() {
        return Optional.ofNullable(value);
    }
}
