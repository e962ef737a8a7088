package io.reactivewatch.core;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens after a tick ends {@link Outcome#FAILED} or {@link Outcome#TIMED_OUT}. Either way the tick's
 * change set goes back into pending, in front of newer changes, so nothing is lost; the policy only decides
 * whether the daemon runs again on its own.
 *
 * <ul>
 *   <li>{@link #backoff(Duration, Duration) backoff} (the default, 1 s to 1 min): a {@link Trigger#RETRY}
 *       tick follows after {@code min}, doubling per consecutive failure up to {@code max}; changes arriving
 *       meanwhile wait for it and join it.</li>
 *   <li>{@link #none() none}: no retry tick. The changes stay pending and ride along with the next tick that
 *       something else starts (a change, a manual or periodic tick), as a watch-and-run tool wants: a broken
 *       build is not rerun until the next edit.</li>
 * </ul>
 */
public final class RetryPolicy {

    private static final RetryPolicy NONE = new RetryPolicy(null, null);
    private static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1));

    private final Duration min;
    private final Duration max;

    private RetryPolicy(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /**
     * No retry tick: failed changes wait in pending for the next tick.
     *
     * @return the policy
     */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * The default: backoff from 1 s to 1 min.
     *
     * @return the policy
     */
    public static RetryPolicy defaults() {
        return DEFAULT;
    }

    /**
     * Exponential backoff: the first retry {@code min} after a failure, doubling per consecutive failure,
     * capped at {@code max}.
     *
     * @param min the first delay, positive
     * @param max the cap, not below {@code min}
     * @return the policy
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if a duration is not positive or {@code max < min}
     */
    public static RetryPolicy backoff(Duration min, Duration max) {
        Checks.requirePositive("retry backoff min", min);
        Checks.requirePositive("retry backoff max", max);
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException("retry backoff max (" + max + ") must not be below min (" + min + ")");
        }
        return new RetryPolicy(min, max);
    }

    /**
     * Whether a retry tick follows a failure.
     *
     * @return {@code false} for {@link #none()}
     */
    public boolean retries() {
        return min != null;
    }

    /**
     * The delay before the retry after {@code failures} consecutive failures.
     *
     * @param failures at least 1
     * @return the delay, or {@code null} for {@link #none()}
     */
    Duration delayAfter(int failures) {
        if (min == null) {
            return null;
        }
        Duration d = min;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetryPolicy r && Objects.equals(min, r.min) && Objects.equals(max, r.max);
    }

    @Override
    public int hashCode() {
        return Objects.hash(min, max);
    }

    /**
     * For messages: {@code none} or {@code backoff(1000ms..60000ms)}.
     */
    @Override
    public String toString() {
        return min == null ? "none" : "backoff(" + min.toMillis() + "ms.." + max.toMillis() + "ms)";
    }
}
