package io.reactivewatch.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import org.jspecify.annotations.Nullable;

/**
 * How a burst of events becomes one wake-up: a leading-edge {@link #window(Duration) window} or a
 * quiet-period {@link #settle(Duration, Duration) settle}. Immutable; one value per daemon.
 *
 * <ul>
 *   <li><b>Window</b> (the default, 50 ms): the timer starts at the first event of a batch, so an endless
 *       stream still yields a batch every window. Latency is bounded and never starved. By default a window
 *       never closes by count: a burst of any size inside one window is one batch. {@link #window(Duration,
 *       int)} adds a cap, at which a window closes at once.</li>
 *   <li><b>Settle</b>: a batch closes once no event arrived for the quiet period, or {@code maxWait} after
 *       its first event, whichever comes first. Fewer, larger batches for expensive reconcilers; the max wait
 *       keeps an endless trickle from starving them. A settle batch never closes by count: a burst of any
 *       size that keeps arriving within the quiet period is one batch.</li>
 * </ul>
 *
 * <p><b>Memory.</b> A daemon merges every event into its pending set (one entry per distinct path) before
 * coalescing sees it, and its coalescer keeps only a count of the open batch, never the events. So what a
 * daemon holds is bounded by the number of distinct paths pending, not by the number of events, whatever the
 * size of a burst; a count cap is not needed for that.
 *
 * <p>{@link #batches(Scheduler)} turns the value into a Reactor transformer for use on its own. Both shapes
 * flush the partial batch when the source completes (so stopping mid-window loses nothing), never emit an
 * empty batch, and buffer batches for a slow downstream instead of failing. Every timer runs on the given
 * scheduler, so virtual time controls it. Its batches are lists of the elements, so an open batch holds every
 * element that arrived in it: without a cap, as many as the burst has.
 */
public final class Coalescing {

    /** The default window: 50 ms. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(50);
    /** The default settle max wait, as a multiple of the quiet period. */
    public static final int DEFAULT_MAX_WAIT_FACTOR = 10;

    private static final Coalescing DEFAULT = new Coalescing(false, DEFAULT_WINDOW, null, WindowBatcher.UNLIMITED);

    private final boolean settle;
    private final Duration period;
    private final Duration maxWait;
    /** The window's count cap, or {@link WindowBatcher#UNLIMITED}; always unlimited in settle mode. */
    private final int maxBatch;

    private Coalescing(boolean settle, Duration period, Duration maxWait, int maxBatch) {
        this.settle = settle;
        this.period = period;
        this.maxWait = maxWait;
        this.maxBatch = maxBatch;
    }

    /**
     * The default: a 50 ms window that never closes by count.
     *
     * @return the default value
     */
    public static Coalescing defaults() {
        return DEFAULT;
    }

    /**
     * A leading-edge window that never closes by count: a burst of any size inside one window is one batch.
     *
     * @param window how long a batch stays open after its first event; positive
     * @return the value
     * @throws NullPointerException     if {@code window} is null
     * @throws IllegalArgumentException if {@code window} is zero or negative
     */
    public static Coalescing window(Duration window) {
        return new Coalescing(false, Checks.requirePositive("window", window), null, WindowBatcher.UNLIMITED);
    }

    /**
     * A leading-edge window that also closes at once when it holds {@code maxBatch} events. A daemon's memory
     * does not need the cap (see the class description); it is for a reconciler that wants to start on part
     * of a long burst before the window ends.
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
        return new Coalescing(true, quiet, maxWait, WindowBatcher.UNLIMITED);
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
    public @Nullable Duration maxWait() {
        return maxWait;
    }

    /**
     * The count at which a window closes early.
     *
     * @return the cap of {@link #window(Duration, int)}; empty when batches never close by count (a window
     *         made without a cap, the default, and every settle)
     */
    public OptionalInt maxBatch() {
        return maxBatch == WindowBatcher.UNLIMITED ? OptionalInt.empty() : OptionalInt.of(maxBatch);
    }

    /**
     * This coalescing as a transformer for {@link Flux#transform}: the window or the quiet-period batcher on
     * {@code scheduler}, each batch the list of its elements in arrival order.
     *
     * @param scheduler the scheduler of every timer
     * @param <T>       the element type
     * @return a transformer from elements to batches
     * @throws NullPointerException if {@code scheduler} is null
     */
    public <T> Function<Flux<T>, Flux<List<T>>> batches(Scheduler scheduler) {
        Checks.requireNonNull("scheduler", scheduler);
        return source -> shape(source, scheduler, BatchBuffer::elements);
    }

    /**
     * The daemon's form of {@link #batches}: the same batches, closed at the same moments, as their sizes
     * only. The elements are not kept (the daemon merged them into its pending set already), so an open batch
     * costs constant memory however large the burst.
     */
    <T> Function<Flux<T>, Flux<Integer>> batchSizes(Scheduler scheduler) {
        Checks.requireNonNull("scheduler", scheduler);
        return source -> shape(source, scheduler, BatchBuffer::count);
    }

    private <T, B> Flux<B> shape(Flux<T> source, Scheduler scheduler, Supplier<BatchBuffer<T, B>> buffer) {
        return settle ? SettleBatcher.batch(source, period, maxWait, scheduler, buffer)
                : WindowBatcher.batch(source, period, maxBatch, scheduler, buffer);
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
     * For messages: {@code window(50ms)}, {@code window(50ms, maxBatch 500)} or
     * {@code settle(300ms, maxWait 3000ms)}.
     */
    @Override
    public String toString() {
        if (settle) {
            return "settle(" + period.toMillis() + "ms, maxWait " + maxWait.toMillis() + "ms)";
        }
        String cap = maxBatch == WindowBatcher.UNLIMITED ? "" : ", maxBatch " + maxBatch;
        return "window(" + period.toMillis() + "ms" + cap + ")";
    }
}
