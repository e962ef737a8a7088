package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.paths;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The sync barrier: a manual tick waits until the source has handed over what happened before the call. */
class SyncTest {

    private final Sinks.Many<SourceEvent> src = Fixtures.source();
    private final AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
    private final AtomicInteger syncs = new AtomicInteger();

    /** A source whose events lag: its sync is what the test says it is. */
    private ChangeSource lagging(Supplier<Mono<Void>> sync) {
        return new ChangeSource() {
            @Override
            public Flux<SourceEvent> events() {
                return src.asFlux();
            }

            @Override
            public Mono<Void> sync() {
                syncs.incrementAndGet();
                return sync.get();
            }
        };
    }

    private Flux<TickResult<Void>> start(ChangeSource source, Duration syncTimeout) {
        daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(source)
                .window(Duration.ofSeconds(1)).syncTimeout(syncTimeout).build());
        return startAndRecord(daemon.get());
    }

    @Test
    void aManualTickIncludesWhatTheSourceHandsOverWhileSyncing() {
        // The change was made before tickNow(); the source only delivers it 200 ms later, as its sync ends.
        ChangeSource source = lagging(() -> Mono.delay(Duration.ofMillis(200))
                .doOnNext(x -> emit(src, Change.modified(p("written-just-before")))).then());
        StepVerifier.withVirtualTime(() -> start(source, Duration.ofSeconds(5)))
                .expectSubscription()
                .then(() -> daemon.get().tickNow().subscribe())
                .expectNoEvent(Duration.ofMillis(200))
                .assertNext(r -> {
                    assertThat(paths(r)).containsExactly(p("written-just-before"));
                    assertThat(r.tick().triggers()).contains(Trigger.MANUAL);
                })
                .then(() -> assertThat(syncs.get()).isEqualTo(1))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aSourceThatNeverCatchesUpIsCancelledAtTheTimeoutAndTheTickRunsAnyway() {
        AtomicBoolean cancelled = new AtomicBoolean();
        ChangeSource source = lagging(() -> Mono.<Void>never().doOnCancel(() -> cancelled.set(true)));
        StepVerifier.withVirtualTime(() -> start(source, Duration.ofMillis(500)))
                .expectSubscription()
                .then(() -> {
                    emit(src, Change.created(p("seen"))); // its window (1 s) is longer than the timeout
                    daemon.get().tickNow().subscribe();
                })
                .expectNoEvent(Duration.ofMillis(499))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> {
                    assertThat(paths(r)).containsExactly(p("seen"));
                    assertThat(r.tick().triggers()).contains(Trigger.MANUAL);
                })
                .then(() -> assertThat(cancelled).isTrue())
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aFailingSyncIsLoggedAndTheTickRunsWithWhatTheSourceHasSeen() {
        ChangeSource source = lagging(() -> Mono.error(new IllegalStateException("root is read-only")));
        StepVerifier.withVirtualTime(() -> start(source, Duration.ofSeconds(2)))
                .expectSubscription()
                .then(() -> daemon.get().tickNow().subscribe())
                .assertNext(r -> assertThat(r.tick().triggers()).containsExactly(Trigger.MANUAL))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void syncAloneCompletesOnceTheSourceCaughtUpWithoutTicking() {
        ChangeSource source = lagging(() -> Mono.delay(Duration.ofMillis(100))
                .doOnNext(x -> emit(src, Change.created(p("late")))).then());
        AtomicBoolean synced = new AtomicBoolean();
        StepVerifier.withVirtualTime(() -> start(source, Duration.ofSeconds(5)))
                .expectSubscription()
                .then(() -> daemon.get().sync().subscribe(v -> { }, e -> { }, () -> synced.set(true)))
                .thenAwait(Duration.ofMillis(100))
                .then(() -> {
                    assertThat(synced).isTrue();
                    assertThat(daemon.get().status().pendingChanges()).isEqualTo(1);
                })
                .thenAwait(Duration.ofSeconds(1)) // the window of the late change
                .assertNext(r -> assertThat(r.tick().triggers()).containsExactly(Trigger.WATCH))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void theDefaultSyncCompletesAtOnce() {
        assertThat(ChangeSource.of(Flux.never()).sync().block(Duration.ofSeconds(1))).isNull();
    }

    @Test
    void syncOnADaemonThatIsNotRunningFails() {
        ReconcileDaemon<Void> d = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).build();
        assertThatThrownBy(() -> d.sync().block(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        d.start();
        d.stop().block(Duration.ofSeconds(10));
        assertThatThrownBy(() -> d.sync().block(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }
}
