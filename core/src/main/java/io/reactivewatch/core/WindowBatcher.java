package io.reactivewatch.core;

import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * Leading-edge window batching: the first element of a batch arms one timer for the window, and the batch
 * closes when it fires, however many elements arrived meanwhile, or at once when it holds {@code maxBatch}
 * elements, if a cap is set. The next element after a close opens the next window. What a batch keeps is its
 * {@link BatchBuffer}'s business: with {@link BatchBuffer#count()} a burst of any size costs constant memory.
 */
final class WindowBatcher<T, B> extends Batcher<T, B> {

    /** No count cap: only the window closes a batch. */
    static final int UNLIMITED = 0;

    private final long windowNanos;
    private final int maxBatch;

    private WindowBatcher(FluxSink<B> sink, BatchBuffer<T, B> buffer, Duration window, int maxBatch,
            Scheduler scheduler) {
        super(sink, buffer, scheduler);
        this.windowNanos = window.toNanos();
        this.maxBatch = maxBatch;
    }

    /**
     * @param maxBatch the count at which a batch closes early, or {@link #UNLIMITED}
     */
    static <T, B> Flux<B> batch(Flux<T> source, Duration window, int maxBatch, Scheduler scheduler,
            Supplier<BatchBuffer<T, B>> buffer) {
        return Batcher.batches(source, sink -> new WindowBatcher<>(sink, buffer.get(), window, maxBatch, scheduler));
    }

    @Override
    void added(boolean first) {
        if (maxBatch != UNLIMITED && size() >= maxBatch) {
            flush();
        } else if (first) {
            arm(windowNanos);
        }
    }

    @Override
    void due() {
        if (!isEmpty()) {
            flush();
        }
    }
}
