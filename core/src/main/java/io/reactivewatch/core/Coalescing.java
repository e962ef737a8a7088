package io.reactivewatch.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Reactor transformers that turn a stream of events into batches, for use with {@link Flux#transform}.
 *
 * <p>Two shapes:
 * <ul>
 *   <li>{@link #window window}: a leading-edge window. The timer starts at the first event of a batch, so an
 *       endless stream still yields a batch every {@code window}: latency is bounded, never starved.</li>
 *   <li>{@link #settle settle}: a batch closes once no event arrived for {@code quiet}, or {@code maxWait}
 *       after its first event, whichever comes first. Fewer, larger batches for expensive consumers; the
 *       max wait keeps an endless trickle from starving it.</li>
 * </ul>
 * Both flush a batch at once when it reaches {@code maxBatch} events, flush the partial batch when the source
 * completes (so stopping mid-window loses nothing), never emit an empty batch, and buffer batches for a slow
 * downstream instead of failing. All timers run on the given scheduler, so virtual time controls them.
 */
public final class Coalescing {

    private Coalescing() {
    }

    /**
     * Leading-edge window batching: {@code bufferTimeout(maxBatch, window)} on {@code scheduler}.
     *
     * @param maxBatch  the largest batch, at least 1
     * @param window    how long a batch stays open after its first event; positive
     * @param scheduler the scheduler for the window timer
     * @param <T>       the element type
     * @return a transformer
     * @throws IllegalArgumentException if {@code maxBatch} is below 1 or {@code window} is not positive
     */
    public static <T> Function<Flux<T>, Flux<List<T>>> window(int maxBatch, Duration window, Scheduler scheduler) {
        Settings.requirePositive("maxBatch", maxBatch);
        Settings.requirePositive("window", window);
        Objects.requireNonNull(scheduler, "scheduler");
        return source -> source.bufferTimeout(maxBatch, window, scheduler).onBackpressureBuffer();
    }

    /**
     * Quiet-period batching with a hard maximum wait.
     *
     * @param quiet     a batch closes once no event arrived for this long; positive
     * @param maxWait   a batch closes at the latest this long after its first event; at least {@code quiet}
     * @param maxBatch  the largest batch, at least 1
     * @param scheduler the scheduler for both timers
     * @param <T>       the element type
     * @return a transformer
     * @throws IllegalArgumentException if a bound is not positive or {@code maxWait} is below {@code quiet}
     */
    public static <T> Function<Flux<T>, Flux<List<T>>> settle(Duration quiet, Duration maxWait, int maxBatch,
            Scheduler scheduler) {
        Settings.requirePositive("settle", quiet);
        Settings.requirePositive("maxWait", maxWait);
        Settings.requirePositive("maxBatch", maxBatch);
        if (maxWait.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("maxWait (" + maxWait + ") must not be shorter than settle (" + quiet + ")");
        }
        Objects.requireNonNull(scheduler, "scheduler");
        return source -> SettleBatcher.batch(source, quiet, maxWait, maxBatch, scheduler);
    }
}
