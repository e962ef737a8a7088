package io.reactivewatch.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;

/**
 * Quiet-period batching. One timer per open batch: it fires at the earlier of last event + quiet and first
 * event + max wait, and re-arms itself when events arrived meanwhile, so a burst costs no timer per event.
 * It never closes a batch by count: only a quiet period or the max wait ends a batch.
 */
final class SettleBatcher<T> {

    private final FluxSink<List<T>> sink;
    private final long quietNanos;
    private final long maxWaitNanos;
    private final Scheduler scheduler;

    private List<T> batch = new ArrayList<>();
    private long firstAt;
    private long lastAt;
    private Disposable timer;
    private boolean done;

    private SettleBatcher(FluxSink<List<T>> sink, Duration quiet, Duration maxWait, Scheduler scheduler) {
        this.sink = sink;
        this.quietNanos = quiet.toNanos();
        this.maxWaitNanos = maxWait.toNanos();
        this.scheduler = scheduler;
    }

    static <T> Flux<List<T>> batch(Flux<T> source, Duration quiet, Duration maxWait, Scheduler scheduler) {
        return Flux.create(sink -> {
            SettleBatcher<T> batcher = new SettleBatcher<>(sink, quiet, maxWait, scheduler);
            Disposable upstream = source.subscribe(batcher::onNext, batcher::onError, batcher::onComplete);
            sink.onDispose(() -> {
                upstream.dispose();
                batcher.cancelTimer();
            });
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    private long now() {
        return scheduler.now(TimeUnit.NANOSECONDS);
    }

    private synchronized void onNext(T element) {
        if (done) {
            return;
        }
        long now = now();
        if (batch.isEmpty()) {
            firstAt = now;
            arm(Math.min(quietNanos, maxWaitNanos));
        }
        lastAt = now;
        batch.add(element);
    }

    private synchronized void onTimer() {
        timer = null;
        if (done || batch.isEmpty()) {
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

    private void onError(Throwable error) {
        end(() -> sink.error(error));
    }

    private void onComplete() {
        end(sink::complete);
    }

    /** Flushes the partial batch (stopping mid-batch loses nothing), then ends with {@code terminal}. */
    private synchronized void end(Runnable terminal) {
        if (done) {
            return;
        }
        done = true;
        cancelTimer();
        if (!batch.isEmpty()) {
            sink.next(batch);
            batch = new ArrayList<>();
        }
        terminal.run();
    }

    private void flush() {
        cancelTimer();
        List<T> out = batch;
        batch = new ArrayList<>();
        sink.next(out);
    }

    private void arm(long delayNanos) {
        timer = scheduler.schedule(this::onTimer, delayNanos, TimeUnit.NANOSECONDS);
    }

    private synchronized void cancelTimer() {
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
    }
}
