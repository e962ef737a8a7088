package io.reactivewatch.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * How a burst of events becomes one wake-up: a leading-edge {@link #window(Duration) window} or a
 * quiet-period {@link #settle(Duration, Duration) settle}. Immutable; one value per daemon.
 *
 * <ul>
 *   <li><b>Window</b> (the default, 50 ms): the timer starts at the first event of a batch, so an endless
 *       stream still yields a batch every window. Latency is bounded and never starved. A window also
 *       closes at once when it holds {@code maxBatch} events.</li>
 *   <li><b>Settle</b>: a batch closes once no event arrived for the quiet period, or {@code maxWait} after
 *       its first event, whichever comes first. Fewer, larger batches for expensive reconcilers; the max wait
 *       keeps an endless trickle from starving them. A settle batch never closes by count: a burst of any
 *       size that keeps arriving within the quiet period is one batch.</li>
 * </ul>
 *
 * <p>{@link #batches(Scheduler)} turns the value into a Reactor transformer. Both shapes flush the partial
 * batch when the source completes (so stopping mid-window loses nothing), never emit an empty batch, and
 * buffer batches for a slow downstream instead of failing. Every timer runs on the given scheduler, so
 * virtual time controls it.
 */
public final class Coalescing {

    /** The default window: 50 ms. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(50);
    /** The default largest window batch: 10,000 events. */
    public static final int DEFAULT_MAX_BATCH = 10_000;
    /** The default settle max wait, as a multiple of the quiet period. */
    public static final int DEFAULT_MAX_WAIT_FACTOR = 10;

    private static final Coalescing DEFAULT = new Coalescing(false, DEFAULT_WINDOW, null, DEFAULT_MAX_BATCH);

    private final boolean settle;
    private final Duration period;
    private final Duration maxWait;
    private final int maxBatch;

    private Coalescing(boolean settle, Duration period, Duration maxWait, int maxBatch) {
        this.settle = settle;
        this.period = period;
        this.maxWait = maxWait;
        this.maxBatch = maxBatch;
    }

    /**
     * The default: a 50 ms window of at most 10,000 events.
     *
     * @return the default value
     */
    public static Coalescing defaults() {
        return DEFAULT;
    }

    /**
     * A leading-edge window of at most {@link #DEFAULT_MAX_BATCH} events.
     *
     * @param window how long a batch stays open after its first event; positive
     * @return the value
     * @throws NullPointerException     if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is zero or negative
     */
    public static Coalescing window(Duration window) {
        return window(window, DEFAULT_MAX_BATCH);
    }

    /**
     * A leading-edge window that also closes once it holds {@code maxBatch} events.
     *
     * @param window   how long a batch stays open after its first event; positive
     * @param maxBatch the largest batch, at least 1
     * @return the value
     * @throws NullPointerException     if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is not positive or {@code maxBatch} is below 1
     */
    public static Coalescing window(Duration window, int maxBatch) {
        return new Coalescing(false, Checks.requirePositive("window", window), null,
                Checks.requirePositive("maxBatch", maxBatch));
    }

    /**
     * Quiet-period mode with a max wait of {@value #DEFAULT_MAX_WAIT_FACTOR} times the quiet period.
     *
     * @param quiet the quiet period; positive
     * @return the value
     * @throws NullPointerException     if {@code quiet} is null
     * @throws IllegalArgumentException if {@code quiet} is zero or negative
     */
    public static Coalescing settle(Duration quiet) {
        Checks.requirePositive("settle", quiet);
        return settle(quiet, quiet.multipliedBy(DEFAULT_MAX_WAIT_FACTOR));
    }

    /**
     * Quiet-period mode with an explicit max wait.
     *
     * @param quiet   a batch closes once no event arrived for this long; positive
     * @param maxWait a batch closes at the latest this long after its first event; not shorter than
     *                {@code quiet}
     * @return the value
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if a duration is not positive or {@code maxWait} is shorter than
     *                                  {@code quiet}
     */
    public static Coalescing settle(Duration quiet, Duration maxWait) {
        Checks.requirePositive("settle", quiet);
        Checks.requirePositive("maxWait", maxWait);
        if (maxWait.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("maxWait (" + maxWait + ") must not be shorter than settle (" + quiet + ")");
        }
        return new Coalescing(true, quiet, maxWait, Integer.MAX_VALUE);
    }

    /**
     * Whether this is quiet-period mode.
     *
     * @return {@code true} for settle, {@code false} for window
     */
    public boolean isSettle() {
        return settle;
    }

    /**
     * The window, or the settle quiet period.
     *
     * @return a positive duration
     */
    public Duration period() {
        return period;
    }

    /**
     * The settle max wait.
     *
     * @return the max wait, or {@code null} in window mode
     */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * The largest window batch.
     *
     * @return at least 1; {@link Integer#MAX_VALUE} in settle mode, which never closes a batch by count
     */
    public int maxBatch() {
        return maxBatch;
    }

    /**
     * This coalescing as a transformer for {@link Flux#transform}: {@code bufferTimeout(maxBatch, window)} in
     * window mode, a quiet-period batcher in settle mode, both on {@code scheduler}.
     *
     * @param scheduler the scheduler of every timer
     * @param <T>       the element type
     * @return a transformer from elements to batches
     * @throws NullPointerException if {@code scheduler} is null
     */
    public <T> Function<Flux<T>, Flux<List<T>>> batches(Scheduler scheduler) {
        Checks.requireNonNull("scheduler", scheduler);
        if (settle) {
            return source -> SettleBatcher.batch(source, period, maxWait, scheduler);
        }
        return source -> source.bufferTimeout(maxBatch, period, scheduler).onBackpressureBuffer();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Coalescing c && settle == c.settle && period.equals(c.period)
                && Objects.equals(maxWait, c.maxWait) && maxBatch == c.maxBatch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(settle, period, maxWait, maxBatch);
    }

    /**
     * For messages: {@code window(50ms, maxBatch 10000)} or {@code settle(300ms, maxWait 3000ms)}.
     */
    @Override
    public String toString() {
        return settle ? "settle(" + period.toMillis() + "ms, maxWait " + maxWait.toMillis() + "ms)"
                : "window(" + period.toMillis() + "ms, maxBatch " + maxBatch + ")";
    }
}
