package io.reactivewatch.core;

import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * Quiet-period batching. One timer per open batch: it fires at the earlier of last event + quiet and first
 * event + max wait, and re-arms itself when events arrived meanwhile, so a burst costs no timer per event.
 * It never closes a batch by count: only a quiet period or the max wait ends a batch.
 */
final class SettleBatcher<T, B> extends Batcher<T, B> {

    private final long quietNanos;
    private final long maxWaitNanos;

    private long firstAt;
    private long lastAt;

    private SettleBatcher(FluxSink<B> sink, BatchBuffer<T, B> buffer, Duration quiet, Duration maxWait,
            Scheduler scheduler) {
        super(sink, buffer, scheduler);
        this.quietNanos = quiet.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
    }

    static <T, B> Flux<B> batch(Flux<T> source, Duration quiet, Duration maxWait, Scheduler scheduler,
            Supplier<BatchBuffer<T, B>> buffer) {
        return Batcher.batches(source, sink -> new SettleBatcher<>(sink, buffer.get(), quiet, maxWait, scheduler));
    }

    @Override
    void added(boolean first) {
        long now = now();
        if (first) {
            firstAt = now;
            arm(Math.min(quietNanos, maxWaitNanos));
        }
        lastAt = now;
    }

    @Override
    void due() {
        if (isEmpty()) {
            return;
        }
        long now = now();
        long due = Math.min(lastAt + quietNanos, firstAt + maxWaitNanos);
        if (now >= due) {
            flush();
        } else {
            arm(due - now);
        }
    }
}
