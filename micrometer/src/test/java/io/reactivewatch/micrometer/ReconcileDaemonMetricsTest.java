package io.reactivewatch.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Change;
import io.reactivewatch.core.DaemonState;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.RetryPolicy;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

class ReconcileDaemonMetricsTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final Sinks.Many<SourceEvent> source = Sinks.many().unicast().onBackpressureBuffer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ReconcileDaemon<Void> daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.stop().subscribe();
            time.advanceTimeBy(Duration.ofSeconds(30));
        }
        time.dispose();
    }

    private ReconcileDaemon<Void> daemon(BusyPolicy policy) {
        daemon = ReconcileDaemon.<Void>builder(tick -> tick.changes().paths().contains(Path.of("bad"))
                        ? Mono.delay(Duration.ofMillis(10), time).then(Mono.error(new IllegalStateException("boom")))
                        : Mono.delay(Duration.ofMillis(100), time).then())
                .source(source.asFlux())
                .window(Duration.ofMillis(50))
                .busyPolicy(policy)
                .retry(RetryPolicy.none())
                .scheduler(time)
                .build();
        return daemon;
    }

    private double counter(String name) {
        return registry.get(name).tag("watcher", "docs").functionCounter().count();
    }

    private double gauge(String name) {
        return registry.get(name).tag("watcher", "docs").gauge().value();
    }

    @Test
    void aFinishedTickIsCountedTimedAndSizedUnderItsWatcherOutcomeAndTrigger() {
        ReconcileDaemonMetrics.monitor(registry, daemon(BusyPolicy.QUEUE), "docs", Tags.of("app", "test"));
        daemon.start();
        source.tryEmitNext(Change.created(Path.of("a")));
        source.tryEmitNext(Change.created(Path.of("b")));
        source.tryEmitNext(Change.modified(Path.of("a")));
        time.advanceTimeBy(Duration.ofMillis(60));

        assertThat(gauge("reactive.watch.ticks.in.flight")).isEqualTo(1);
        assertThat(counter("reactive.watch.events")).isEqualTo(3);
        assertThat(counter("reactive.watch.batches")).isEqualTo(1);
        assertThat(counter("reactive.watch.coalesced.events")).isEqualTo(1);

        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(gauge("reactive.watch.ticks.in.flight")).isZero();
        assertThat(registry.get("reactive.watch.ticks").tags("watcher", "docs", "app", "test", "outcome", "ok",
                "trigger", "watch").counter().count()).isEqualTo(1);
        Timer timer = registry.get("reactive.watch.tick.duration").tags("outcome", "ok", "trigger", "watch").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(100);
        assertThat(registry.get("reactive.watch.tick.changes").summary().totalAmount()).isEqualTo(2);
        assertThat(registry.get("reactive.watch.tick.changes").summary().getId().getBaseUnit()).isEqualTo("changes");
    }

    @Test
    void failuresArePerOutcomeAndPendingChangesAreAGauge() {
        new ReconcileDaemonMetrics(daemon(BusyPolicy.QUEUE), "docs").bindTo(registry);
        daemon.start();
        source.tryEmitNext(Change.created(Path.of("bad")));
        time.advanceTimeBy(Duration.ofMillis(100));

        assertThat(registry.get("reactive.watch.ticks").tags("outcome", "failed").counter().count()).isEqualTo(1);
        assertThat(gauge("reactive.watch.consecutive.failures")).isEqualTo(1);
        assertThat(gauge("reactive.watch.pending.changes")).isEqualTo(1); // put back, no retry
        assertThat(gauge("reactive.watch.tracked.files")).isZero();
        assertThat(gauge("reactive.watch.tracked.directories")).isZero();
        assertThat(counter("reactive.watch.persist.failures")).isZero();
    }

    @Test
    void changesDroppedWhileATickRunsAreCountedFromStatus() {
        new ReconcileDaemonMetrics(daemon(BusyPolicy.DROP), "docs").bindTo(registry);
        daemon.start();
        source.tryEmitNext(Change.created(Path.of("a")));
        time.advanceTimeBy(Duration.ofMillis(60));
        source.tryEmitNext(Change.created(Path.of("b")));
        source.tryEmitNext(Change.created(Path.of("c")));

        assertThat(counter("reactive.watch.dropped.changes")).isEqualTo(2);
        assertThat(counter("reactive.watch.rescans")).isZero();
    }

    /** A store that keeps nothing and, once told to, fails every write like a full disk. */
    private static final class FailingStore implements StateStore {
        volatile boolean failing;

        @Override
        public Loaded load() {
            return Loaded.none();
        }

        @Override
        public void save(DaemonState state) throws IOException {
            if (failing) {
                throw new IOException("No space left on device");
            }
        }
    }

    @Test
    void rescanMarkersAndFailedStateWritesAreCounted() {
        FailingStore store = new FailingStore();
        daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(source.asFlux())
                .window(Duration.ofMillis(50))
                .retry(RetryPolicy.none())
                .scheduler(time)
                .ioScheduler(time)
                .stateStore(store)
                .build();
        new ReconcileDaemonMetrics(daemon, "docs").bindTo(registry);
        daemon.start(); // its baseline write succeeds
        store.failing = true;
        source.tryEmitNext(new Rescan(Path.of("docs"), "overflow"));
        time.advanceTimeBy(Duration.ofMillis(60));

        assertThat(counter("reactive.watch.rescans")).isEqualTo(1);
        // The tick's changes must be on disk before it runs: that first write failed, its retry is 100 ms away.
        assertThat(counter("reactive.watch.persist.failures")).isEqualTo(1);
        assertThat(daemon.status().tickCount()).isZero();
    }

    @Test
    void openHoldsAreAGaugeAndTheTicksTheyDeferAreCounted() {
        new ReconcileDaemonMetrics(daemon(BusyPolicy.QUEUE), "docs").bindTo(registry);
        daemon.start();
        io.reactivewatch.core.Hold hold = daemon.hold("deploying");
        source.tryEmitNext(Change.created(Path.of("a")));
        time.advanceTimeBy(Duration.ofMillis(60));

        assertThat(gauge("reactive.watch.holds")).isEqualTo(1);
        assertThat(counter("reactive.watch.deferred.ticks")).isEqualTo(1);
        hold.close();
        assertThat(gauge("reactive.watch.holds")).isZero();
    }

    @Test
    void closeStopsRecordingTicksButKeepsTheStatusMeters() {
        ReconcileDaemonMetrics metrics = ReconcileDaemonMetrics.monitor(registry, daemon(BusyPolicy.QUEUE), "docs",
                Tags.empty());
        daemon.start();
        metrics.close();
        source.tryEmitNext(Change.created(Path.of("a")));
        time.advanceTimeBy(Duration.ofMillis(200));

        assertThat(registry.find("reactive.watch.ticks").counter()).isNull();
        assertThat(counter("reactive.watch.events")).isEqualTo(1);
    }
}
