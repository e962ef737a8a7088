package io.reactivewatch.core;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * The frame both coalescing shapes share: one open batch in a {@link BatchBuffer}, at most one timer on the
 * given scheduler, and a lock that orders the upstream's elements, the timer and the end against each other,
 * so elements may arrive on any thread while a timer fires on another. A closed batch goes to a
 * {@link FluxSink.OverflowStrategy#BUFFER buffering} sink: a slow downstream gets every batch later instead of
 * an overflow error. The partial batch is flushed when the upstream ends (so stopping mid-batch loses nothing),
 * and an empty batch is never emitted.
 *
 * <p>A subclass decides when a batch closes: {@link #added} after each element, {@link #due} when its timer
 * fires. Both run under the lock.
 */
abstract class Batcher<T, B> {

    private final FluxSink<B> sink;
    private final BatchBuffer<T, B> buffer;
    private final Scheduler scheduler;

    private Disposable timer;
    /** Bumped whenever a timer is armed or cancelled: a timer that fires after it was replaced does nothing. */
    private long timerGeneration;
    private boolean done;

    Batcher(FluxSink<B> sink, BatchBuffer<T, B> buffer, Scheduler scheduler) {
        this.sink = sink;
        this.buffer = buffer;
        this.scheduler = scheduler;
    }

    /** Runs {@code source} through the batcher that {@code create} makes for the subscriber's sink. */
    static <T, B> Flux<B> batches(Flux<T> source, Function<FluxSink<B>, ? extends Batcher<T, B>> create) {
        return Flux.create(sink -> {
            Batcher<T, B> batcher = create.apply(sink);
            Disposable.Swap upstream = Disposables.swap();
            sink.onDispose(() -> {
                upstream.dispose();
                batcher.cancel();
            });
            upstream.update(source.subscribe(batcher::onNext, batcher::onError, batcher::onComplete));
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** Under the lock, after an element joined the open batch; {@code first}: it opened the batch. */
    abstract void added(boolean first);

    /** Under the lock, when the timer armed last fires. */
    abstract void due();

    final long now() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    final boolean isEmpty() {
        return buffer.isEmpty();
    }

    final int size() {
        return buffer.size();
    }

    /** Closes the open batch now. */
    final void flush() {
        cancelTimer();
        sink.next(buffer.take());
    }

    /** Arms the timer, replacing any armed before. */
    final void arm(long delayNanos) {
        cancelTimer();
        long generation = timerGeneration;
        try {
            timer = scheduler.schedule(() -> onTimer(generation), delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // The scheduler was shut down: no batch could ever close on time. End with what we have.
            end(() -> sink.error(e));
        }
    }

    private synchronized void onNext(T element) {
        if (done) {
            return;
        }
        boolean first = buffer.isEmpty();
        buffer.add(element);
        added(first);
    }

    private synchronized void onTimer(long generation) {
        if (done || generation != timerGeneration) {
            return;
        }
        timer = null;
        due();
    }

    private void onError(Throwable error) {
        end(() -> sink.error(error));
    }

    private void onComplete() {
        end(sink::complete);
    }

    /** Flushes the partial batch, then ends with {@code terminal}. */
    private synchronized void end(Runnable terminal) {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        if (!buffer.isEmpty()) {
            sink.next(buffer.take());
        }
        terminal.run();
    }

    /** The subscriber cancelled, or the flux ended. */
    private synchronized void cancel() {
        done = true;
        cancelTimer();
    }

    private void cancelTimer() {
        timerGeneration++;
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
    }
}
