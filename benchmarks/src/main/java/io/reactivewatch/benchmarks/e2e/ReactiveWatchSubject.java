package io.reactivewatch.benchmarks.e2e;

import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Tick;
import io.reactivewatch.watch.Backend;
import io.reactivewatch.watch.FileSource;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Our {@link FileSource} in a {@link ReconcileDaemon}, both with their defaults (50 ms window, queue policy),
 * on the native or the polling backend. Its own ticks are the triggers; the reconciler takes R on {@code boundedElastic}, as the daemon's
 * documentation asks of a blocking reconciler.
 */
final class ReactiveWatchSubject implements Subject {

    private final Backend backend;
    private final Duration scanInterval;
    private ReconcileDaemon<Integer> daemon;

    ReactiveWatchSubject(Backend backend, Duration scanInterval) {
        this.backend = backend;
        this.scanInterval = scanInterval;
    }

    @Override
    public void start(Path root, Probe probe) {
        FileSource.Builder source = FileSource.builder()
                .root(root)
                .backend(backend);
        if (backend == Backend.POLLING) {
            source.scanInterval(scanInterval);
        }
        daemon = ReconcileDaemon.<Integer>builder(tick -> reconcile(tick, probe))
                .source(source.build())
                .build();
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

    /** The rescan markers the daemon received: one per overflow rescan (or lost watch, or changed root). */
    @Override
    public long rescans() {
        ReconcileDaemon<Integer> d = daemon;
        return d == null ? -1 : d.status().rescans();
    }

    @Override
    public Duration quietAfter() {
        return backend == Backend.POLLING ? scanInterval.multipliedBy(2).plusMillis(500) : Duration.ofMillis(1000);
    }

    @Override
    public void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }
}
