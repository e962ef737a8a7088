package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class ShutdownAndPersistenceTest {

    @TempDir
    Path dir;

    @Test
    void stopWhileAWindowIsOpenAndATickIsInFlightFinishesTheTickPersistsPendingAndANewDaemonReconcilesItAtStartup() {
        StateStore store = StateStore.file(dir.resolve("state.json"));
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        AtomicLong stoppedAt = new AtomicLong(-1);
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.delay(Duration.ofMillis(300)).then())
                            .source(src.asFlux()).stateStore(store).stopGracePeriod(Duration.ofSeconds(1)).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(150))
                .then(() -> emit(src, Change.created(p("b"))))
                .thenAwait(Duration.ofMillis(10))
                .then(() -> {
                    assertThat(daemon.get().status().tickInFlight()).isTrue();
                    daemon.get().stop().subscribe(null, null,
                            () -> stoppedAt.set(Schedulers.parallel().now(TimeUnit.MILLISECONDS)));
                    assertThat(daemon.get().status().active()).isFalse();
                })
                .thenAwait(Duration.ofMillis(190))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"));
                })
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        // The tick finished inside the grace period and nothing new started after stop.
        assertThat(stoppedAt.get()).isEqualTo(350);
        StateStore.Loaded loaded = store.load();
        assertThat(loaded.corrupt()).isFalse();
        assertThat(loaded.state().pendingChanges()).containsExactly(Change.created(p("b")));

        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .stateStore(store).build()))
                .expectSubscription()
                .assertNext(r -> {
                    assertThat(r.tick().triggers()).containsExactly(Trigger.STARTUP);
                    assertThat(r.tick().changes().changes()).containsExactly(Change.created(p("b")));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aReconcileThatOutlivesTheGracePeriodIsCancelledAndItsChangesStayPersisted() {
        StateStore store = StateStore.file(dir.resolve("state.json"));
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        AtomicLong stoppedAt = new AtomicLong(-1);
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.never())
                            .source(src.asFlux()).stateStore(store).stopGracePeriod(Duration.ofMillis(500)).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(100))
                .then(() -> daemon.get().stop().subscribe(null, null,
                        () -> stoppedAt.set(Schedulers.parallel().now(TimeUnit.MILLISECONDS))))
                .thenAwait(Duration.ofMillis(500))
                .assertNext(r -> assertThat(r.outcome()).isEqualTo(Outcome.CANCELLED))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(stoppedAt.get()).isEqualTo(600);
        assertThat(store.load().state().pendingChanges()).containsExactly(Change.created(p("a")));
    }

    @Test
    void stopCompletesPromptlyWhenIdleEvenWithTheSourceStillOpen() {
        StepVerifier.withVirtualTime(() -> {
                    ReconcileDaemon<Void> d = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                            .source(Fixtures.source().asFlux()).build();
                    d.start();
                    return d.stop();
                })
                .expectSubscription()
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aStoredInFlightFlagIsIgnoredAndNeverBlocksTicks() throws Exception {
        Path file = dir.resolve("state.json");
        java.nio.file.Files.writeString(file, "{\"schemaVersion\":1,\"tickInFlight\":true,\"pendingRerun\":true,"
                + "\"pendingChanges\":[{\"path\":\"/w/a\",\"kind\":\"modified\",\"type\":\"file\"}]}");
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(src.asFlux()).stateStore(StateStore.file(file)).build()))
                .expectSubscription()
                .assertNext(r -> {
                    assertThat(r.tick().triggers()).containsExactly(Trigger.STARTUP);
                    assertThat(r.tick().changes().changes()).containsExactly(Change.modified(p("a")));
                })
                .then(() -> emit(src, Change.created(p("b"))))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("b")))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aCorruptStateFileIsSetAsideAndTheDaemonStartsWithAFullRescan() throws Exception {
        Path file = dir.resolve("state.json");
        java.nio.file.Files.writeString(file, "{\"format\":\"reactive-watch-state\",\"schemaVersion\":2,\"pendingChanges\":[{\"path\":\"/w/a\",");
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.empty()).stateStore(StateStore.file(file)).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .assertNext(r -> {
                    assertThat(r.tick().triggers()).containsExactlyInAnyOrder(Trigger.STARTUP, Trigger.RESCAN);
                    assertThat(r.tick().changes().rescan()).isTrue();
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(daemon.get().status().lastError()).contains("unusable");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("state.json.corrupt-"));
        }
    }

    @Test
    void eachTickIsDurableBeforeItStartsAndTheWritesAfterTicksAreDebounced() {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        StateStore counting = new StateStore() {
            @Override
            public Loaded load() {
                return Loaded.none();
            }

            @Override
            public void save(DaemonState state) {
                writes.incrementAndGet();
            }
        };
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(src.asFlux()).window(Duration.ofMillis(10)).stateStore(counting).build()))
                .expectSubscription()
                .then(() -> {
                    for (int i = 0; i < 100; i++) {
                        emit(src, Change.created(p(i)));
                        reactor.test.scheduler.VirtualTimeScheduler.get().advanceTimeBy(Duration.ofMillis(10));
                    }
                })
                .thenAwait(Duration.ofSeconds(2))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        // The baseline at start, one write before each of the 100 ticks (what a tick delivers is on disk before
        // its reconcile starts), and the writes after ticks debounced by the 1 s persist interval: one or two.
        assertThat(writes.get() - 1 - 100).isBetween(1, 2);
    }
}
