package io.reactivewatch.samples.webflux;

import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A scheduler whose {@link #now} counts from the epoch, so the timestamps the daemon derives from it
 * ({@code startedAt}, {@code lastTickAt}, tick times) are wall-clock instants. Reactor 3.8's own schedulers
 * answer {@code now(NANOSECONDS)} from {@link System#nanoTime()}, whose origin is arbitrary, and the core
 * reads its clock in nanoseconds. The time stays monotonic: the epoch is read once, the rest comes from
 * {@code nanoTime}. Everything else is the delegate's.
 */
final class WallClockScheduler implements Scheduler {

    private final Scheduler delegate;
    private final long epochNanosAtStart;
    private final long nanoTimeAtStart;

    WallClockScheduler(Scheduler delegate) {
        this.delegate = delegate;
        this.nanoTimeAtStart = System.nanoTime();
        this.epochNanosAtStart = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    }

    @Override
    public long now(TimeUnit unit) {
        return unit.convert(epochNanosAtStart + (System.nanoTime() - nanoTimeAtStart), TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable schedule(Runnable task) {
        return delegate.schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return delegate.schedule(task, delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return delegate.schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public Worker createWorker() {
        return delegate.createWorker();
    }

    @Override
    public void init() {
        delegate.init();
    }

    @Override
    public boolean isDisposed() {
        return delegate.isDisposed();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }

    @Override
    public Mono<Void> disposeGracefully() {
        return delegate.disposeGracefully();
    }
}
