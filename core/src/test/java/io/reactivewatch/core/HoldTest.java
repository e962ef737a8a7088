package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.paths;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Holds: ticks wait while any is open, changes accumulate (or are dropped), and one tick follows the last close. */
class HoldTest {

    private static final Duration WINDOW = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private final Sinks.Many<SourceEvent> src = Fixtures.source();
    private final AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
    private final AtomicReference<Hold> hold = new AtomicReference<>();

    private Flux<TickResult<Void>> start(ReconcileDaemon.Builder<Void> builder) {
        daemon.set(builder.source(src.asFlux()).window(WINDOW).build());
        return startAndRecord(daemon.get());
    }

    private static ReconcileDaemon.Builder<Void> quick() {
        return ReconcileDaemon.builder(tick -> Mono.empty());
    }

    @Test
    void whileHeldNoTickStartsAndClosingTheHoldReleasesOneTickWithEverything() {
        StepVerifier.withVirtualTime(() -> start(quick()))
                .expectSubscription()
                .then(() -> hold.set(daemon.get().hold("deploying")))
                .then(() -> emit(src, Change.created(p("a"))))
                .expectNoEvent(Duration.ofSeconds(5))
                .then(() -> emit(src, Change.modified(p("b")), Change.created(p("c")), Change.deleted(p("c"))))
                .expectNoEvent(Duration.ofSeconds(5))
                .then(() -> {
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.holds()).extracting(HoldStatus::reason).containsExactly("deploying");
                    assertThat(s.holds().get(0).mode()).isEqualTo(HoldMode.DEFER);
                    assertThat(s.holds().get(0).since()).isEqualTo(s.startedAt());
                    assertThat(s.deferredTicks()).as("two batches closed while held").isEqualTo(2);
                    assertThat(s.pendingChanges()).isEqualTo(2);
                    assertThat(s.tickCount()).isZero();
                    hold.get().close();
                })
                .assertNext(r -> {
                    assertThat(r.tick().changes().changes())
                            .containsExactlyInAnyOrder(Change.created(p("a")), Change.modified(p("b")));
                    assertThat(r.tick().triggers()).containsExactly(Trigger.WATCH);
                })
                .then(() -> assertThat(daemon.get().status().holds()).isEmpty())
                .expectNoEvent(Duration.ofSeconds(5))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void nestedHoldsReleaseOnlyWhenTheLastOneClosesInAnyOrder() {
        AtomicReference<Hold> second = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> start(quick()))
                .expectSubscription()
                .then(() -> {
                    hold.set(daemon.get().hold("outer"));
                    second.set(daemon.get().hold("inner"));
                    emit(src, Change.created(p("a")));
                })
                .expectNoEvent(Duration.ofSeconds(1))
                .then(() -> {
                    assertThat(daemon.get().status().holds()).extracting(HoldStatus::reason)
                            .containsExactly("outer", "inner");
                    hold.get().close(); // the first one opened closes first
                    hold.get().close(); // twice: no effect
                    assertThat(hold.get().isOpen()).isFalse();
                    assertThat(second.get().isOpen()).isTrue();
                })
                .expectNoEvent(Duration.ofSeconds(1))
                .then(() -> second.get().close())
                .assertNext(r -> assertThat(paths(r)).containsExactly(p("a")))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aDropHoldDiscardsAndCountsWhatArrivesButKeepsWhatWasAlreadyPending() {
        AtomicReference<Hold> drop = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> start(quick()))
                .expectSubscription()
                .then(() -> {
                    hold.set(daemon.get().hold("switching branches"));
                    emit(src, Change.created(p("kept")));
                    drop.set(daemon.get().hold("restoring fixtures", HoldMode.DROP));
                    emit(src, Change.created(p("x")), Change.modified(p("y")));
                })
                .expectNoEvent(Duration.ofSeconds(1))
                .then(() -> {
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.droppedChanges()).isEqualTo(2);
                    assertThat(s.holds()).extracting(HoldStatus::droppedChanges).containsExactly(0L, 2L);
                    assertThat(s.holds().get(1).mode()).isEqualTo(HoldMode.DROP);
                    drop.get().close();
                    emit(src, Change.created(p("after")));
                    hold.get().close();
                })
                .thenAwait(WINDOW)
                .assertNext(r -> assertThat(paths(r)).containsExactlyInAnyOrder(p("kept"), p("after")))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aRunningTickFinishesAndTheRerunWaitsForTheHold() {
        StepVerifier.withVirtualTime(() -> start(ReconcileDaemon.<Void>builder(
                        tick -> Mono.delay(Duration.ofSeconds(1)).then())))
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(WINDOW)
                .then(() -> {
                    assertThat(daemon.get().status().tickInFlight()).isTrue();
                    hold.set(daemon.get().hold("held mid-tick"));
                    emit(src, Change.created(p("b")));
                })
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(r -> assertThat(paths(r)).containsExactly(p("a")))
                .expectNoEvent(Duration.ofSeconds(10))
                .then(() -> hold.get().close())
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(r -> assertThat(paths(r)).containsExactly(p("b")))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aManualTickRequestedWhileHeldRunsWhenTheHoldCloses() {
        AtomicReference<TickResult<Void>> manual = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> start(quick()))
                .expectSubscription()
                .then(() -> {
                    hold.set(daemon.get().hold("paused"));
                    daemon.get().tickNow().subscribe(manual::set);
                })
                .expectNoEvent(Duration.ofSeconds(10))
                .then(() -> {
                    assertThat(manual.get()).isNull();
                    hold.get().close();
                })
                .assertNext(r -> assertThat(r.tick().triggers()).containsExactly(Trigger.MANUAL))
                .then(() -> assertThat(manual.get()).isNotNull())
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aHoldOpenedBeforeStartHoldsTheStartupTick() {
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(quick().source(src.asFlux()).tickOnStart(true).build());
                    hold.set(daemon.get().hold("waiting for leadership"));
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(10))
                .then(() -> hold.get().close())
                .assertNext(r -> assertThat(r.tick().triggers()).containsExactly(Trigger.STARTUP))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void stoppingWhileHeldPersistsWhatIsPendingAndTheNextStartDeliversIt() {
        StateStore store = StateStore.file(dir.resolve("state.json"));
        ReconcileDaemon<Void> first = quick().source(src.asFlux()).window(WINDOW).stateStore(store).build();
        first.start();
        Hold h = first.hold("held at stop");
        emit(src, Change.created(p("a")), Change.modified(p("b")));
        first.stop().block(Duration.ofSeconds(10));
        assertThat(first.status().tickCount()).isZero();
        assertThat(store.load().state().pendingChanges())
                .containsExactlyInAnyOrder(Change.created(p("a")), Change.modified(p("b")));
        h.close(); // after stop: no effect, no error

        ReconcileDaemon<Void> second = quick().stateStore(store).build();
        TickResult<Void> startup = startAndRecord(second).blockFirst(Duration.ofSeconds(10));
        second.stop().block(Duration.ofSeconds(10));
        assertThat(startup.tick().triggers()).containsExactly(Trigger.STARTUP);
        assertThat(paths(startup)).containsExactlyInAnyOrder(p("a"), p("b"));
    }

    @Test
    void aHoldOfAStoppedDaemonHasNoEffectAndShowsNowhere() {
        ReconcileDaemon<Void> d = quick().build();
        d.start();
        d.stop().block(Duration.ofSeconds(10));
        Hold h = d.hold("too late");
        assertThat(h.isOpen()).isTrue();
        assertThat(d.status().holds()).isEmpty();
        h.close();
        assertThat(h.isOpen()).isFalse();
    }

    @Test
    void aSourceHoldsTicksThroughItsContext() {
        AtomicReference<SourceContext> context = new AtomicReference<>();
        ChangeSource source = new ChangeSource() {
            @Override
            public java.util.List<SourceEvent> open(SourceContext ctx) {
                context.set(ctx);
                return java.util.List.of();
            }

            @Override
            public Flux<SourceEvent> events() {
                return src.asFlux();
            }
        };
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(quick().source(source).window(WINDOW).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> {
                    hold.set(context.get().hold("git rebase in progress"));
                    emit(src, Change.modified(p("a")));
                })
                .expectNoEvent(Duration.ofSeconds(10))
                .then(() -> {
                    assertThat(daemon.get().status().holds()).extracting(HoldStatus::reason)
                            .containsExactly("git rebase in progress");
                    hold.get().close();
                })
                .assertNext(r -> assertThat(paths(r)).containsExactly(p("a")))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aSourceUsedOnItsOwnGetsHoldsThatHoldNothing() {
        Hold detached = SourceContext.none().hold("nobody listens");
        assertThat(detached.reason()).isEqualTo("nobody listens");
        assertThat(detached.mode()).isEqualTo(HoldMode.DEFER);
        detached.close();
        assertThat(detached.isOpen()).isFalse();
    }

    @Test
    void holdsSerializeInStatusJsonWithTheirModeByWireName() {
        ReconcileDaemon<Void> d = quick().build();
        d.start();
        try (Hold h = d.hold("deploying", HoldMode.DROP)) {
            JsonNode json = JsonMapper.builder().build().valueToTree(d.status());
            JsonNode first = json.get("holds").get(0);
            assertThat(first.get("reason").asString()).isEqualTo("deploying");
            assertThat(first.get("mode").asString()).isEqualTo("drop");
            assertThat(first.get("since").asString()).endsWith("Z");
            assertThat(first.get("droppedChanges").asLong()).isZero();
            assertThat(json.get("deferredTicks").asLong()).isZero();
            assertThat(h.toString()).contains("drop").contains("deploying");
        } finally {
            d.stop().block(Duration.ofSeconds(10));
        }
    }
}
