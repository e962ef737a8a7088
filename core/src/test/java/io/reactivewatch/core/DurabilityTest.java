package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * What a tick delivers is durable before its reconcile starts; a crash leaves the tick uncertain and it is
 * redelivered as the source's current truth; state that cannot be written holds the tick back, loudly; files
 * that are not ours are refused.
 */
class DurabilityTest {

    @TempDir
    Path dir;

    /** A store in memory that can be told to fail, like a full disk or a read-only file. */
    static final class FaultyStore implements StateStore {
        volatile DaemonState saved;
        volatile IOException failure;
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        public Loaded load() {
            return saved == null ? Loaded.none() : Loaded.of(saved);
        }

        @Override
        public void save(DaemonState state) throws IOException {
            attempts.incrementAndGet();
            IOException f = failure;
            if (f != null) {
                throw f;
            }
            saved = state;
        }
    }

    /** A source that can say what paths are now, as a filesystem source would after a restart. */
    private static ChangeSource sourceKnowing(Flux<SourceEvent> events, List<SourceEvent> whileDown, List<Change> truth,
            List<SourceContext> contexts) {
        return new ChangeSource() {
            @Override
            public List<SourceEvent> open(SourceContext context) {
                contexts.add(context);
                return whileDown;
            }

            @Override
            public Flux<SourceEvent> events() {
                return events;
            }

            @Override
            public List<Change> currentTruth(List<Path> paths) {
                List<Change> out = new ArrayList<>();
                for (Change c : truth) {
                    if (paths.contains(c.path())) {
                        out.add(c);
                    }
                }
                return out;
            }
        };
    }

    @Test
    void whatATickDeliversIsOnDiskBeforeTheReconcilerSeesIt() {
        FaultyStore store = new FaultyStore();
        List<List<Change>> deliveringWhenCalled = new CopyOnWriteArrayList<>();
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.fromRunnable(
                                () -> deliveringWhenCalled.add(store.saved.delivering())))
                        .source(src.asFlux()).stateStore(store).build()))
                .expectSubscription()
                .then(() -> assertThat(store.saved).as("the baseline is written by start()").isNotNull())
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(r.outcome()).isEqualTo(Outcome.OK))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(deliveringWhenCalled).containsExactly(List.of(Change.created(p("a"))));
    }

    @Test
    void aTickInFlightAtACrashIsRedeliveredAsTheCurrentTruthNeverNettedAway() {
        // The run before the crash: tick 7 was delivering "x created" when the state was written.
        FaultyStore store = new FaultyStore();
        store.saved = new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, null, 7, null,
                List.of(Change.modified(p("y"))), false, List.of(Change.created(p("x"))), "section", null);
        // While down, x was deleted: the source's diff says so, and so does the truth. Merged by net effect,
        // "created" then "deleted" would be nothing, and a reconciler that had seen x would keep it forever.
        List<SourceContext> contexts = new ArrayList<>();
        ChangeSource source = sourceKnowing(Flux.never(), List.of(Change.deleted(p("x"))),
                List.of(Change.deleted(p("x"))), contexts);
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(source).stateStore(store).build()))
                .expectSubscription()
                .assertNext(r -> {
                    assertThat(r.tick().triggers()).contains(Trigger.STARTUP);
                    assertThat(r.tick().number()).as("tick numbers continue across restarts").isEqualTo(8);
                    assertThat(r.tick().changes().get(p("x"))).contains(Change.deleted(p("x")));
                    assertThat(r.tick().changes().get(p("y"))).contains(Change.modified(p("y")));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(contexts).singleElement().satisfies(c -> {
            assertThat(c.persisted()).contains("section");
            assertThat(c.stateLost()).isFalse();
            assertThat(c.resumed()).isTrue();
        });
    }

    @Test
    void withASourceThatCannotTellTheUncertainTickIsPutBackAsItWas() {
        FaultyStore store = new FaultyStore();
        store.saved = new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, null, 2, null, List.of(), false,
                List.of(Change.created(p("x"))), null, null);
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(Flux.never()).stateStore(store).build()))
                .expectSubscription()
                .assertNext(r -> assertThat(r.tick().changes().changes()).containsExactly(Change.created(p("x"))))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void aStateThatCannotBeWrittenHoldsTheTickBackLoudlyAndItRunsOnceTheWriteSucceeds() {
        FaultyStore store = new FaultyStore();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        Sinks.Many<SourceEvent> src = Fixtures.source();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.fromRunnable(calls::incrementAndGet))
                            .source(src.asFlux()).stateStore(store).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> store.failure = new IOException("No space left on device"))
                .then(() -> emit(src, Change.created(p("a"))))
                .thenAwait(Duration.ofSeconds(5))
                .then(() -> {
                    assertThat(calls.get()).as("never delivered what it could not record").isZero();
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.lastError()).contains("could not persist state").contains("No space left on device")
                            .contains("tick 1 waits");
                    assertThat(s.persistFailures()).isGreaterThan(3);
                    assertThat(s.active()).isTrue();
                    assertThat(s.pendingChanges() + (s.tickInFlight() ? 1 : 0)).isPositive();
                })
                .then(() -> emit(src, Change.created(p("b"))))
                .then(() -> store.failure = null)
                .thenAwait(Duration.ofSeconds(30))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"));
                    assertThat(r.startedAt().toEpochMilli()).as("started when subscribed, after the wait")
                            .isGreaterThanOrEqualTo(5_000);
                    assertThat(r.duration()).isZero();
                })
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("b")))
                .then(() -> assertThat(daemon.get().status().lastError()).isNull())
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aStateFileThatCannotBeWrittenAtStartFailsTheStartWithOneClearMessage() throws Exception {
        FaultyStore readOnly = new FaultyStore();
        readOnly.failure = new IOException("Read-only file system");
        AtomicInteger closes = new AtomicInteger();
        ChangeSource source = new ChangeSource() {
            @Override
            public Flux<SourceEvent> events() {
                return Flux.never();
            }

            @Override
            public void close() {
                closes.incrementAndGet();
            }
        };
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(source)
                .stateStore(readOnly).build();
        assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot write the state file: IOException: Read-only file system");
        assertThat(closes.get()).as("an opened source is closed again").isEqualTo(1);
        assertThat(daemon.status().active()).isFalse();
    }

    @Test
    void aStateFileThatCannotBeWrittenAtStartIsOneMessageNamingTheFileAndNoWarningBesideIt() throws Exception {
        Path file = dir.resolve("state.json");
        // A directory (not empty) where the journal goes: renaming a file over it fails whoever runs the test.
        Files.createDirectories(dir.resolve("state.json.journal").resolve("x"));
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(Flux.never())
                .stateStore(StateStore.file(file)).build();
        try (CapturedLog log = CapturedLog.of(FlightEngine.class)) {
            assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cannot write the state file " + file + ": FileSystemException: ")
                    .hasMessageContaining("Is a directory");
            assertThat(log.warnings()).as("the exception is the one report").isEmpty();
        }
        assertThat(daemon.status().active()).isFalse();
    }

    @Test
    void aStateDirectoryReplacedMidRunIsOneWarningNamingTheFileAndOneWhenWritesSucceedAgain() throws Exception {
        Path stateDir = dir.resolve("state");
        Path file = stateDir.resolve("state.json");
        Path away = dir.resolve("state.away");
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        List<List<Path>> seen = new CopyOnWriteArrayList<>();
        Sinks.Many<SourceEvent> src = Fixtures.source();
        try (CapturedLog log = CapturedLog.of(FlightEngine.class)) {
            StepVerifier.withVirtualTime(() -> {
                        daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.fromRunnable(
                                        () -> seen.add(List.copyOf(tick.changes().paths()))))
                                .source(src.asFlux()).stateStore(StateStore.file(file)).build());
                        return startAndRecord(daemon.get());
                    })
                    .expectSubscription()
                    .then(() -> {
                        try {
                            // Stops root as well as anyone: no write can reach a file under a regular file.
                            Files.move(stateDir, away);
                            Files.writeString(stateDir, "in the way");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        emit(src, Change.created(p("a")));
                    })
                    .thenAwait(Duration.ofSeconds(10))
                    .then(() -> {
                        assertThat(seen).as("nothing delivered that could not be recorded").isEmpty();
                        assertThat(daemon.get().status().lastError())
                                .startsWith("could not persist state to " + file + ": ")
                                .endsWith("; tick 1 waits until its changes are on disk");
                        assertThat(daemon.get().status().persistFailures()).isGreaterThan(3);
                        assertThat(log.warnings()).singleElement().asString()
                                .startsWith("could not persist state to " + file + ": ");
                        try {
                            Files.delete(stateDir);
                            Files.move(away, stateDir);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .thenAwait(Duration.ofSeconds(31))
                    .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("a")))
                    .then(() -> assertThat(daemon.get().status().lastError()).isNull())
                    .thenCancel()
                    .verify(Duration.ofSeconds(30));
            assertThat(log.warnings()).hasSize(2);
            assertThat(log.warnings().get(1)).isEqualTo("state is persisted again to state file " + file);
        }
        assertThat(seen).containsExactly(List.of(p("a")));
    }

    @Test
    void aStateFileInAPlaceThatCannotHoldOneIsRefusedAtStart() throws Exception {
        Path blocker = dir.resolve("not-a-dir");
        Files.writeString(blocker, "x");
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .stateStore(StateStore.file(blocker.resolve("state.json"))).build();
        assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("state.json").hasMessageContaining("Not a directory");
    }

    @Test
    void aFileThatIsNotOursIsRefusedAtStartAndLeftAsItWas() throws Exception {
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "buy milk\n");
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .stateStore(StateStore.file(notes)).build();
        assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(notes.toString()).hasMessageContaining("not a reactive-watch state file");
        assertThat(Files.readString(notes)).isEqualTo("buy milk\n");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(notes);
        }
    }

    @Test
    void anUnusableStateOfOursTellsTheSourceItWasLostAndStartsWithARescan() throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"format\":\"reactive-watch-state\",\"schemaVersion\":2,\"pendingChan");
        List<SourceContext> contexts = new ArrayList<>();
        ChangeSource source = sourceKnowing(Flux.never(), List.of(Change.created(p("everything"))), List.of(), contexts);
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(source).stateStore(StateStore.file(file)).build()))
                .expectSubscription()
                .assertNext(r -> {
                    assertThat(r.tick().triggers()).contains(Trigger.STARTUP, Trigger.RESCAN);
                    assertThat(r.tick().changes().rescan()).isTrue();
                    assertThat(r.tick().changes().changes()).containsExactly(Change.created(p("everything")));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(contexts).singleElement().satisfies(c -> {
            assertThat(c.stateLost()).isTrue();
            assertThat(c.resumed()).as("nothing of it was resumed").isFalse();
            assertThat(c.persisted()).isEmpty();
        });
    }

    @Test
    void theSourceIsToldWhetherAStateWasResumedSoItCanTellAMissingSectionFromAFirstStart() throws Exception {
        List<SourceContext> contexts = new ArrayList<>();
        FaultyStore store = new FaultyStore();
        ReconcileDaemon<Void> first = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(sourceKnowing(Flux.never(), List.of(), List.of(), contexts)).stateStore(store).build();
        first.start();
        first.close();
        // The state written by a source without a section (this one's checkpoint is null): resumed, no section.
        assertThat(store.saved.source()).isNull();
        ReconcileDaemon<Void> second = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(sourceKnowing(Flux.never(), List.of(), List.of(), contexts)).stateStore(store).build();
        second.start();
        second.close();
        ReconcileDaemon<Void> withoutStore = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(sourceKnowing(Flux.never(), List.of(), List.of(), contexts)).build();
        withoutStore.start();
        withoutStore.close();
        assertThat(contexts).extracting(SourceContext::resumed).containsExactly(false, true, false);
        assertThat(contexts).extracting(SourceContext::persisted).containsOnly(java.util.Optional.empty());
        assertThat(contexts).extracting(SourceContext::stateLost).containsOnly(false);
        assertThat(SourceContext.none().resumed()).isFalse();
    }
}
