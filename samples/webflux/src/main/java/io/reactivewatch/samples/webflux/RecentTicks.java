package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.ReconcileDaemon;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The last {@value #SIZE} ticks of the watcher, then the live ones, for clients that connect late.
 *
 * <p>{@link ReconcileDaemon#ticks()} is hot: a client sees only the ticks that finish after it subscribed, so a
 * page opened after 23 ticks would show a count of 23 and no tick at all. This bean subscribes once, when the
 * context creates it (before the starter starts the watcher, so the start-up tick is kept too), records every
 * result whether or not anyone listens, and keeps the newest {@value #SIZE}. Each subscriber of
 * {@link #ticks()} gets those first, oldest first, then every later tick. Everything completes when the watcher
 * stops.
 */
final class RecentTicks implements DisposableBean {

    /** How many past ticks a new subscriber gets. */
    static final int SIZE = 20;

    /**
     * A tick as one subscriber of {@link #ticks()} receives it.
     *
     * @param tick     the tick
     * @param replayed whether it was recorded before the subscriber came (a live tick is not)
     */
    record Received(TickView tick, boolean replayed) {
    }

    private final Sinks.Many<TickView> recent = Sinks.many().replay().limit(SIZE);
    private final Disposable recording;
    /** The newest recorded tick's number; a watcher's tick numbers only grow. */
    private volatile long lastRecorded = Long.MIN_VALUE;

    RecentTicks(ReconcileDaemon<?> watcher) {
        // The daemon emits results one at a time on its worker, so the sink has a single emitter.
        recording = watcher.ticks().map(TickView::of).subscribe(this::record, recent::tryEmitError,
                recent::tryEmitComplete);
    }

    private void record(TickView tick) {
        recent.tryEmitNext(tick);
        lastRecorded = tick.tick();
    }

    /**
     * The recorded ticks, oldest first, then the live ones; completes when the watcher stops. A tick that
     * finishes while a subscriber arrives may be marked live although it was also recorded, never the other
     * way round.
     *
     * @return a flux per subscriber
     */
    Flux<Received> ticks() {
        return Flux.defer(() -> {
            long before = lastRecorded;
            return recent.asFlux().map(t -> new Received(t, t.tick() <= before));
        });
    }

    /** Ends the recording and completes the subscribers, if the watcher has not already. */
    @Override
    public void destroy() {
        recording.dispose();
        recent.tryEmitComplete();
    }
}
