package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.created;
import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class ReconcileDaemonVirtualTimeTest {

    private static final Duration WINDOW = Duration.ofMillis(50);

    @Test
    void aQuietBurstOfTenThousandChangesWithinFortyMillisecondsIsOneTick() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                            .source(src.asFlux()).window(WINDOW).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, created(0, 2500)))
                .thenAwait(Duration.ofMillis(10))
                .then(() -> emit(src, created(2500, 5000)))
                .thenAwait(Duration.ofMillis(10))
                .then(() -> emit(src, created(5000, 7500)))
                .thenAwait(Duration.ofMillis(20))
                .then(() -> emit(src, created(7500, 10_000)))
                .thenAwait(Duration.ofMillis(10))
                .assertNext(r -> {
                    assertThat(r.startedAt().toEpochMilli()).isBetween(40L, WINDOW.toMillis());
                    assertThat(r.tick().number()).isEqualTo(1);
                    assertThat(r.tick().triggers()).containsExactly(Trigger.WATCH);
                    assertThat(r.tick().changes().size()).isEqualTo(10_000);
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                })
                .expectNoEvent(Duration.ofSeconds(5))
                .then(() -> daemon.get().stop().subscribe())
                .thenAwait(Duration.ofSeconds(1))
                .expectComplete().verify(Duration.ofSeconds(30));
        assertThat(daemon.get().status().tickCount()).isEqualTo(1);
        assertThat(daemon.get().status().eventsSeen()).isEqualTo(10_000);
    }

    /**
     * Issue 9: the default window has no count cap, so a burst far beyond the old cap of 10,000 inside one
     * window is one tick holding all of it, started when the window ends.
     */
    @Test
    void aBurstOfFiftyThousandChangesInsideOneDefaultWindowIsOneTick() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(src.asFlux()).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, created(0, 25_000)))
                .thenAwait(Duration.ofMillis(40))
                .then(() -> emit(src, created(25_000, 50_000)))
                .expectNoEvent(Duration.ofMillis(9))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> {
                    assertThat(r.startedAt().toEpochMilli()).isEqualTo(WINDOW.toMillis());
                    assertThat(r.tick().number()).isEqualTo(1);
                    assertThat(r.tick().changes().size()).isEqualTo(50_000);
                })
                .expectNoEvent(Duration.ofSeconds(5))
                .then(() -> daemon.get().stop().subscribe())
                .thenAwait(Duration.ofSeconds(1))
                .expectComplete().verify(Duration.ofSeconds(30));
        DaemonStatus status = daemon.get().status();
        assertThat(status.tickCount()).isEqualTo(1);
        assertThat(status.batchesSeen()).isEqualTo(1);
        assertThat(status.eventsSeen()).isEqualTo(50_000);
    }

    /** An explicit cap still starts a tick as soon as a window holds that many, before the window ends. */
    @Test
    void anExplicitMaxBatchStartsATickAsSoonAsTheWindowHoldsThatMany() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.delay(Duration.ofMillis(100)).then())
                            .source(src.asFlux()).coalescing(Coalescing.window(WINDOW, 10_000)).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, created(0, 10_000)))
                .thenAwait(Duration.ofMillis(10))
                .then(() -> emit(src, created(10_000, 15_000)))
                .thenAwait(Duration.ofMillis(90))
                .assertNext(r -> {
                    assertThat(r.startedAt().toEpochMilli()).as("started at once, not after the window").isZero();
                    assertThat(r.tick().changes().size()).isEqualTo(10_000);
                })
                .thenAwait(Duration.ofMillis(100))
                .assertNext(r -> assertThat(r.tick().changes().size()).isEqualTo(5_000))
                .then(() -> daemon.get().stop().subscribe())
                .thenAwait(Duration.ofSeconds(1))
                .expectComplete().verify(Duration.ofSeconds(30));
    }

    @Test
    void aBurstWhileATickRunsBecomesExactlyOneRerunHoldingTheUnion() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(
                                tick -> Mono.delay(Duration.ofMillis(200)).then())
                        .source(src.asFlux()).window(WINDOW).build()))
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(60))
                .then(() -> emit(src, Change.created(p("b"))))
                .thenAwait(Duration.ofMillis(60))
                .then(() -> emit(src, Change.modified(p("a")), Change.created(p("c"))))
                .thenAwait(Duration.ofMillis(60))
                .then(() -> emit(src, Change.created(p("d"))))
                .thenAwait(Duration.ofMillis(80))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("a")))
                .thenAwait(Duration.ofMillis(200))
                .assertNext(r -> {
                    assertThat(r.tick().number()).isEqualTo(2);
                    assertThat(Fixtures.paths(r)).containsExactly(p("b"), p("a"), p("c"), p("d"));
                    assertThat(r.tick().changes().get(p("a")).orElseThrow().kind()).isEqualTo(ChangeKind.MODIFIED);
                })
                .expectNoEvent(Duration.ofSeconds(2))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void inSettleModeABurstShorterThanTheMaxWaitWithGapsBelowTheQuietPeriodIsOneTick() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(src.asFlux()).settle(Duration.ofMillis(300), Duration.ofSeconds(3)).build()))
                .expectSubscription()
                .then(() -> emit(src, created(0, 100)))
                .thenAwait(Duration.ofMillis(250))
                .then(() -> emit(src, created(100, 200)))
                .thenAwait(Duration.ofMillis(250))
                .then(() -> emit(src, created(200, 300)))
                .thenAwait(Duration.ofMillis(300))
                .assertNext(r -> {
                    assertThat(r.tick().changes().size()).isEqualTo(300);
                    // the quiet period after the last event, not the first
                    assertThat(r.startedAt().toEpochMilli()).isEqualTo(800);
                })
                .expectNoEvent(Duration.ofSeconds(10))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void anEndlessTrickleKeepsTickingWithNoGapLongerThanTheWindowAfterATickEnds() {
        Duration work = Duration.ofMillis(30);
        AtomicReference<Recorder> rec = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    rec.set(Recorder.taking(work));
                    return startAndRecord(ReconcileDaemon.builder(rec.get())
                            .source(Flux.interval(Duration.ofMillis(10)).take(1000).map(i -> Change.created(p((int) (long) i))))
                            .window(WINDOW).build());
                })
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(11))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        List<Recorder.Span> spans = rec.get().spans();
        assertThat(spans.size()).isGreaterThan(100);
        assertThat(spans.get(0).startMillis()).isLessThanOrEqualTo(10 + WINDOW.toMillis());
        for (int i = 1; i < spans.size(); i++) {
            long gap = spans.get(i).startMillis() - spans.get(i - 1).endMillis();
            assertThat(gap).as("gap before tick %d", i + 1).isBetween(0L, WINDOW.toMillis());
        }
        assertThat(rec.get().maxConcurrent).hasValue(1);
        assertThat(rec.get().okPaths()).hasSize(1000);
    }

    @Test
    void inSettleModeAnEndlessTrickleTicksOncePerMaxWaitAndNeverStarves() {
        Duration maxWait = Duration.ofMillis(500);
        AtomicReference<Recorder> rec = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    rec.set(Recorder.taking(Duration.ofMillis(30)));
                    return startAndRecord(ReconcileDaemon.builder(rec.get())
                            .source(Flux.interval(Duration.ofMillis(10)).take(1000).map(i -> Change.created(p((int) (long) i))))
                            .settle(Duration.ofMillis(100), maxWait).build());
                })
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(11))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        List<Recorder.Span> spans = rec.get().spans();
        // 10 s of trickle: one tick per max wait (plus the one after the trickle ends), never one per event.
        assertThat(spans.size()).isBetween(18, 22);
        for (int i = 1; i < spans.size(); i++) {
            long gap = spans.get(i).startMillis() - spans.get(i - 1).startMillis();
            assertThat(gap).as("gap before tick %d", i + 1).isLessThanOrEqualTo(maxWait.toMillis() + 30);
        }
        assertThat(rec.get().okPaths()).hasSize(1000);
    }

    @Test
    void queueRunsOnceMoreWithTheUnionOfEverythingThatArrivedWhileBusy() {
        AtomicReference<Recorder> rec = new AtomicReference<>();
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> {
                    rec.set(Recorder.taking(Duration.ofMillis(500)));
                    return startAndRecord(ReconcileDaemon.builder(rec.get()).source(src.asFlux())
                            .busyPolicy(BusyPolicy.QUEUE).build());
                })
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(100))
                .then(() -> emit(src, created(0, 10)))
                .thenAwait(Duration.ofMillis(100))
                .then(() -> emit(src, created(10, 20)))
                .thenAwait(Duration.ofMillis(100))
                .then(() -> emit(src, created(20, 30)))
                .thenAwait(Duration.ofSeconds(3))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        List<Recorder.Span> spans = rec.get().spans();
        assertThat(spans).hasSize(2);
        assertThat(spans.get(1).tick().changes().size()).isEqualTo(30);
    }

    @Test
    void dropDiscardsWhatArrivesWhileBusyAndCountsIt() {
        AtomicReference<Recorder> rec = new AtomicReference<>();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> {
                    rec.set(Recorder.taking(Duration.ofMillis(500)));
                    daemon.set(ReconcileDaemon.builder(rec.get()).source(src.asFlux())
                            .busyPolicy(BusyPolicy.DROP).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(100))
                .then(() -> emit(src, created(0, 10)))
                .thenAwait(Duration.ofSeconds(1))
                .then(() -> emit(src, Change.created(p("after"))))
                .thenAwait(Duration.ofSeconds(1))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        List<Recorder.Span> spans = rec.get().spans();
        assertThat(spans).extracting(s -> s.tick().changes().paths())
                .containsExactly(java.util.Set.of(p("a")), java.util.Set.of(p("after")));
        assertThat(daemon.get().status().droppedChanges()).isEqualTo(10);
    }

    @Test
    void restartCancelsTheRunningReconcileAndRerunsItsChangesWithTheNewOnes() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(
                                tick -> Mono.delay(Duration.ofMillis(200)).then())
                        .source(src.asFlux()).busyPolicy(BusyPolicy.RESTART).build()))
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(110))
                .then(() -> emit(src, Change.created(p("b"))))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED);
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"));
                    assertThat(r.finishedAt().toEpochMilli()).isEqualTo(160);
                })
                .thenAwait(Duration.ofMillis(200))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"), p("b"));
                    assertThat(r.startedAt().toEpochMilli()).isEqualTo(160);
                })
                .expectNoEvent(Duration.ofSeconds(1))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aBudgetOf32Drains1000PendingChangesInContinuationTicksWithoutLosingTheTail() {
        AtomicReference<Recorder> rec = new AtomicReference<>();
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> {
                    rec.set(Recorder.taking(Duration.ofMillis(10)));
                    return startAndRecord(ReconcileDaemon.builder(rec.get()).source(src.asFlux())
                            .maxChangesPerTick(32).build());
                })
                .expectSubscription()
                .then(() -> emit(src, created(0, 1000)))
                .thenAwait(Duration.ofSeconds(2))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        List<Tick> ticks = rec.get().okTicks();
        assertThat(ticks).hasSize(32);
        assertThat(ticks.get(0).triggers()).containsExactly(Trigger.WATCH);
        for (int i = 0; i < 31; i++) {
            assertThat(ticks.get(i).changes().size()).isEqualTo(32);
        }
        assertThat(ticks.get(31).changes().size()).isEqualTo(1000 - 31 * 32);
        ticks.subList(1, 32).forEach(t -> assertThat(t.triggers()).containsExactly(Trigger.CONTINUATION));
        assertThat(rec.get().okPaths()).hasSize(1000);
        // Continuations run at once: no window between them.
        List<Recorder.Span> spans = rec.get().spans();
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i).startMillis()).isEqualTo(spans.get(i - 1).endMillis());
        }
    }

    @Test
    void aReconcilerThatThrowsThenHangsHasBothChangeSetsRerunAndStatusRecovers() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<String>> daemon = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Reconciler<String> flaky = tick -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new IllegalStateException("index locked");
            }
            if (n == 2) {
                return Mono.never();
            }
            return Mono.just("done " + tick.changes().size());
        };
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.builder(flaky).source(src.asFlux())
                            .tickTimeout(Duration.ofSeconds(1))
                            .retry(RetryPolicy.backoff(Duration.ofMillis(100), Duration.ofSeconds(5))).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(WINDOW)
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                    assertThat(r.error()).hasMessage("index locked");
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.lastOutcome()).isEqualTo(Outcome.FAILED);
                    assertThat(s.consecutiveFailures()).isEqualTo(1);
                    assertThat(s.lastError()).contains("index locked");
                    assertThat(s.pendingChanges()).isEqualTo(1);
                })
                .then(() -> emit(src, Change.created(p("b"))))
                // retry after 100 ms backoff: holds a and b, then hangs past the 1 s timeout
                .thenAwait(Duration.ofMillis(100))
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.TIMED_OUT);
                    assertThat(r.tick().triggers()).contains(Trigger.RETRY);
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"), p("b"));
                    assertThat(daemon.get().status().consecutiveFailures()).isEqualTo(2);
                    assertThat(daemon.get().status().lastOutcome()).isEqualTo(Outcome.TIMED_OUT);
                })
                // backoff doubles to 200 ms
                .expectNoEvent(Duration.ofMillis(199))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(r.value()).isEqualTo("done 2");
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"), p("b"));
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.lastOutcome()).isEqualTo(Outcome.OK);
                    assertThat(s.consecutiveFailures()).isZero();
                    assertThat(s.pendingChanges()).isZero();
                    assertThat(s.active()).isTrue();
                })
                .then(() -> emit(src, Change.created(p("c"))))
                .thenAwait(WINDOW)
                .assertNext(r -> assertThat(r.outcome()).isEqualTo(Outcome.OK))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }
}
