package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class DaemonEdgeCasesTest {

    @TempDir
    Path dir;

    @Test
    void aPersistDuringATickKeepsThatTicksChangesSoACrashCannotLoseThem() {
        StateStore store = StateStore.file(dir.resolve("state.json"));
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(
                                tick -> calls.incrementAndGet() == 1 ? Mono.empty() : Mono.never())
                        .source(src.asFlux()).stateStore(store).persistInterval(Duration.ofSeconds(1)).build()))
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(r.outcome()).isEqualTo(Outcome.OK))
                .then(() -> emit(src, Change.created(p("b"))))
                .thenAwait(Duration.ofMillis(50))
                // b's tick now hangs; the persist scheduled by a's tick runs at 1.05 s
                .thenAwait(Duration.ofSeconds(1))
                .then(() -> assertThat(store.load().state().delivering()).containsExactly(Change.created(p("b"))))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    /**
     * Issue 9: an open window costs memory per distinct path, not per event. A hundred events on one path
     * inside a window that is still open leave one change in pending and nothing else: the coalescer counts
     * the events and keeps none of them.
     */
    @Test
    void eventsMergedIntoPendingAreNotAlsoHeldByAnOpenWindow() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(src.asFlux()).window(Duration.ofMinutes(1)).tickOnStart(false).build();
        daemon.start();
        try {
            List<WeakReference<Change>> refs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Change c = Change.modified(Path.of("/w", "same"));
                refs.add(new WeakReference<>(c));
                emit(src, c);
            }
            assertThat(daemon.status().eventsSeen()).isEqualTo(100);
            assertThat(daemon.status().pendingChanges()).isEqualTo(1);
            // The first event is the pending change; every later one merged into it and must be garbage.
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                System.gc();
                return refs.stream().skip(1).allMatch(r -> r.get() == null);
            });
            assertThat(daemon.status().tickCount()).as("the window is still open").isZero();
        } finally {
            daemon.stop().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void aPollIntervalTicksPeriodicallyEvenWithNoChange() {
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .tickInterval(Duration.ofSeconds(1)).build()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> {
                    assertThat(r.tick().triggers()).containsExactly(Trigger.POLL);
                    assertThat(r.tick().changes().isEmpty()).isTrue();
                })
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(r -> assertThat(r.tick().number()).isEqualTo(2))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aFailingSourceIsRecordedInStatusAndTheDaemonKeepsTicking() {
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                            .source(Flux.<SourceEvent>just(Change.created(p("a")))
                                    .concatWith(Flux.error(new java.io.IOException("watch limit reached"))))
                            .build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("a")))
                .then(() -> {
                    assertThat(daemon.get().status().backendError()).contains("watch limit reached");
                    assertThat(daemon.get().status().active()).isTrue();
                    daemon.get().tickNow().subscribe();
                })
                .assertNext(r -> assertThat(r.tick().triggers()).containsExactly(Trigger.MANUAL))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aReconcilerReturningNullFailsTheTickInsteadOfThePipeline() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(
                                tick -> calls.incrementAndGet() == 1 ? null : Mono.empty())
                        .source(src.asFlux()).retry(RetryPolicy.backoff(Duration.ofMillis(10), Duration.ofMillis(10))).build()))
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                    assertThat(r.error()).hasMessageContaining("null");
                })
                .thenAwait(Duration.ofMillis(10))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(r.tick().triggers()).containsExactly(Trigger.RETRY);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aFailedRescanTickIsRetriedAsARescan() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(
                                tick -> calls.incrementAndGet() == 1 ? Mono.error(new IllegalStateException("boom"))
                                        : Mono.empty())
                        .source(src.asFlux()).retry(RetryPolicy.backoff(Duration.ofMillis(10), Duration.ofMillis(10)))
                        .build()))
                .expectSubscription()
                .then(() -> emit(src, new Rescan(p("root"), "overflow")))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                    assertThat(r.tick().triggers()).contains(Trigger.RESCAN);
                })
                .thenAwait(Duration.ofMillis(10))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(r.tick().changes().rescan()).isTrue();
                    assertThat(r.tick().triggers()).containsExactlyInAnyOrder(Trigger.RETRY, Trigger.RESCAN);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aFailedRescanTickWithoutRetriesRidesAlongAsARescan() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(
                                tick -> calls.incrementAndGet() == 1 ? Mono.error(new IllegalStateException("boom"))
                                        : Mono.empty())
                        .source(src.asFlux()).retry(RetryPolicy.none()).build()))
                .expectSubscription()
                .then(() -> emit(src, new Rescan(p("root"), "overflow")))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(r.outcome()).isEqualTo(Outcome.FAILED))
                .then(() -> emit(src, Change.created(p("b"))))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(r.tick().changes().rescan()).isTrue();
                    assertThat(Fixtures.paths(r)).containsExactly(p("b"));
                    assertThat(r.tick().triggers()).containsExactlyInAnyOrder(Trigger.WATCH, Trigger.RESCAN);
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void concurrentManualRequestsWhileBusyShareTheOnePendingRerun() {
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        java.util.List<TickResult<Void>> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.delay(Duration.ofMillis(100)).then()).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> daemon.get().tickNow().subscribe(answers::add))
                .then(() -> {
                    for (int i = 0; i < 5; i++) {
                        daemon.get().tickNow().subscribe(answers::add);
                    }
                })
                .thenAwait(Duration.ofMillis(100))
                .assertNext(r -> assertThat(r.tick().number()).isEqualTo(1))
                .thenAwait(Duration.ofMillis(100))
                .assertNext(r -> assertThat(r.tick().number()).isEqualTo(2))
                .expectNoEvent(Duration.ofSeconds(1))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(answers).hasSize(6);
        assertThat(answers.stream().filter(r -> r.tick().number() == 2)).hasSize(5);
    }

    @Test
    void restartDoesNotCancelATickThatAlreadyHoldsTheClosingBatch() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.delay(Duration.ofMillis(200)).then())
                            .source(src.asFlux()).busyPolicy(BusyPolicy.RESTART).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(10))
                // a manual tick starts mid-window and drains a; the window closing at 50 ms brings nothing new
                .then(() -> daemon.get().tickNow().subscribe())
                .thenAwait(Duration.ofMillis(200))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"));
                })
                .expectNoEvent(Duration.ofSeconds(1))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void onARealSchedulerTimestampsAreWallClockTime() {
        java.time.Instant before = java.time.Instant.now().minusSeconds(5);
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).build();
        daemon.start();
        try {
            TickResult<Void> r = daemon.tickNow().block(Duration.ofSeconds(30));
            java.time.Instant after = java.time.Instant.now().plusSeconds(5);
            assertThat(daemon.status().startedAt()).isBetween(before, after);
            assertThat(r.startedAt()).isBetween(before, after);
            assertThat(r.finishedAt()).isBetween(before, after);
        } finally {
            daemon.close();
        }
    }

    @Test
    void aSourceWhoseOpenFailsFailsTheStartWithItsOwnMessageAndIsNotClosedByTheDaemon() {
        AtomicInteger closes = new AtomicInteger();
        ChangeSource refusing = new ChangeSource() {
            @Override
            public java.util.List<SourceEvent> open(SourceContext context) {
                throw new IllegalArgumentException("watch root does not exist: /nowhere");
            }

            @Override
            public Flux<SourceEvent> events() {
                return Flux.never();
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(refusing).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(daemon::start)
                .isInstanceOf(IllegalArgumentException.class).hasMessage("watch root does not exist: /nowhere");
        assertThat(closes.get()).isZero();
        assertThat(daemon.status().active()).isFalse();
        daemon.stop().block(Duration.ofSeconds(5));
        daemon.ticks().collectList().block(Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class);
    }
}
