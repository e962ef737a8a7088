package io.reactivewatch.benchmarks.e2e;

import io.reactivewatch.core.Tick;
import io.reactivewatch.watch.Backend;
import io.reactivewatch.watch.WatchDaemon;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Our {@link WatchDaemon} with its defaults (50 ms window, queue policy), on the native or the polling
 * backend. Its own ticks are the triggers; the reconciler takes R on {@code boundedElastic}, as the daemon's
 * documentation asks of a blocking reconciler.
 */
final class ReactiveWatchSubject implements Subject {

    private final Backend backend;
    private final Duration pollInterval;
    private WatchDaemon<Integer> daemon;

    ReactiveWatchSubject(Backend backend, Duration pollInterval) {
        this.backend = backend;
        this.pollInterval = pollInterval;
    }

    @Override
    public void start(Path root, Probe probe) {
        WatchDaemon.Builder<Integer> builder = WatchDaemon.<Integer>builder(tick -> reconcile(tick, probe))
                .root(root)
                .backend(backend);
        if (backend == Backend.POLLING) {
            builder.pollInterval(pollInterval);
        }
        daemon = builder.build();
        daemon.start();
    }

    private static Mono<Integer> reconcile(Tick tick, Probe probe) {
        return Mono.fromCallable(() -> {
            if (tick.changes().rescan()) {
                probe.overflow();
            }
            Probe.Span span = probe.begin(tick.changes().paths());
            try {
                Probe.sleep(probe.reconcileTime());
            } finally {
                span.end();
            }
            return tick.changes().size();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Duration quietAfter() {
        return backend == Backend.POLLING ? pollInterval.multipliedBy(2).plusMillis(500) : Duration.ofMillis(1000);
    }

    @Override
    public void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
