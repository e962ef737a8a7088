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
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
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

    /** A store in memory that keeps every state it was handed, so a test can restart from any of them. */
    static final class RecordingStore implements StateStore {
        final List<DaemonState> saves = new CopyOnWriteArrayList<>();
        final DaemonState loaded;

        RecordingStore(DaemonState loaded) {
            this.loaded = loaded;
        }

        RecordingStore() {
            this(null);
        }

        @Override
        public Loaded load() {
            return loaded == null ? Loaded.none() : Loaded.of(loaded);
        }

        @Override
        public void save(DaemonState state) {
            saves.add(state);
        }
    }

    /**
     * A tree of paths kept like the filesystem source keeps one: the paths it tracked are its section, a
     * change on disk moves what it tracks and is emitted in one step, open() diffs the section against the
     * disk (a deleted directory takes what it tracked under it along), and currentTruth() reads the disk.
     */
    static final class TreeSource implements ChangeSource {
        final Set<Path> disk;
        final Set<Path> tracked = new TreeSet<>();
        final Sinks.Many<SourceEvent> sink = Fixtures.source();
        /** Runs once, right after the next checkpoint is taken: the source's thread going on meanwhile. */
        volatile Runnable afterCheckpoint;

        TreeSource(Set<Path> disk) {
            this.disk = disk;
        }

        void created(Path path) {
            disk.add(path);
            tracked.add(path);
            emit(sink, Change.created(path));
        }

        void deleted(Path path) {
            disk.remove(path);
            tracked.remove(path);
            emit(sink, Change.deleted(path));
        }

        @Override
        public List<SourceEvent> open(SourceContext context) {
            tracked.addAll(disk);
            List<SourceEvent> whileDown = new ArrayList<>();
            context.persisted().ifPresent(section -> {
                Set<Path> before = new TreeSet<>();
                section.lines().filter(l -> !l.isEmpty()).forEach(l -> before.add(Path.of(l)));
                before.stream().filter(q -> !disk.contains(q)).forEach(q -> whileDown.add(Change.deleted(q)));
                disk.stream().filter(q -> !before.contains(q)).forEach(q -> whileDown.add(Change.created(q)));
            });
            return whileDown;
        }

        @Override
        public Flux<SourceEvent> events() {
            return sink.asFlux();
        }

        @Override
        public String checkpoint() {
            StringBuilder section = new StringBuilder();
            tracked.forEach(q -> section.append(q).append('\n'));
            Runnable then = afterCheckpoint;
            afterCheckpoint = null;
            if (then != null) {
                then.run();
            }
            return section.toString();
        }

        @Override
        public List<Change> currentTruth(List<Path> paths) {
            List<Change> out = new ArrayList<>();
            paths.forEach(q -> out.add(disk.contains(q) ? Change.modified(q) : Change.deleted(q)));
            return out;
        }
    }

    /**
     * Restarts on {@code state} with {@code disk} as it is now, and returns the start-up tick (there is one even
     * when it carries nothing).
     */
    private static TickResult<Void> restartOn(DaemonState state, Set<Path> disk) {
        FaultyStore restored = new FaultyStore();
        restored.saved = state;
        TreeSource source = new TreeSource(disk);
        List<TickResult<Void>> startup = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(source).stateStore(restored).tickOnStart(true).build()))
                .expectSubscription()
                .consumeNextWith(startup::add)
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        return startup.get(0);
    }

    /** The reconciler's view: the net effect of every change set it was handed, in order. */
    private static Set<Path> view(List<TickResult<Void>> delivered) {
        Set<Path> view = new TreeSet<>();
        for (TickResult<Void> r : delivered) {
            for (Change c : r.tick().changes().changes()) {
                if (c.kind() == ChangeKind.DELETED) {
                    view.remove(c.path());
                } else {
                    view.add(c.path());
                }
            }
        }
        return view;
    }

    @Test
    void aChangePendingAheadOfThePersistedSectionIsNotInventedAfterItsPathWentAwayWhileDown() {
        // The run before the kill: d1 is created and reconciled (tick 1). Its write takes the section, and the
        // source's thread reports d1/d2 before the daemon takes its pending set: the state on disk holds
        // "d1/d2 created" pending, and a section that never had d1/d2.
        RecordingStore store = new RecordingStore();
        Set<Path> disk = new TreeSet<>();
        TreeSource source = new TreeSource(disk);
        List<TickResult<Void>> delivered = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(source).stateStore(store).build()))
                .expectSubscription()
                .then(() -> source.afterCheckpoint = () -> source.created(p("d1/d2")))
                .then(() -> source.created(p("d1")))
                .thenAwait(Duration.ofMillis(50))
                .consumeNextWith(delivered::add)
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        DaemonState atKill = store.saves.stream().filter(s -> s.delivering().contains(Change.created(p("d1"))))
                .findFirst().orElseThrow();
        assertThat(atKill.pendingChanges()).as("pending ahead of the section")
                .containsExactly(Change.created(p("d1/d2")));
        assertThat(atKill.source()).contains(p("d1").toString()).doesNotContain(p("d1/d2").toString());
        assertThat(view(delivered)).containsExactly(p("d1"));

        // Killed right after that write (tick 1 may have reached the reconciler); d1 is deleted with everything
        // in it while the daemon is down. The snapshot's d1 is reported deleted, and d1/d2, which the
        // reconciler never saw, must not be reported created under it.
        disk.clear();
        TickResult<Void> startup = restartOn(atKill, disk);
        delivered.add(startup);
        assertThat(startup.tick().changes().get(p("d1/d2"))).isEmpty();
        assertThat(view(delivered)).as("start-up tick " + startup.tick().changes()).isEqualTo(disk);
    }

    @Test
    void aDeletionPendingAheadOfThePersistedSectionIsNotLostWhenThePathGoesAgainWhileDown() {
        // The run before the kill: f is created and reconciled (tick 1), then deleted, which waits in an open
        // window. The state write after tick 1 takes the section without f, and f is written again before the
        // daemon takes its pending set: "f modified" is pending (the reconciler knows f), the section has no f.
        RecordingStore store = new RecordingStore();
        Set<Path> disk = new TreeSet<>();
        TreeSource source = new TreeSource(disk);
        List<TickResult<Void>> delivered = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(source).stateStore(store).coalescing(Coalescing.window(Duration.ofSeconds(5)))
                        .persistInterval(Duration.ofSeconds(1)).build()))
                .expectSubscription()
                .then(() -> source.created(p("f")))
                .thenAwait(Duration.ofSeconds(5))
                .consumeNextWith(delivered::add)
                .thenAwait(Duration.ofMillis(500))
                .then(() -> {
                    source.deleted(p("f"));
                    source.afterCheckpoint = () -> source.created(p("f"));
                })
                .thenAwait(Duration.ofMillis(600))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        DaemonState atKill = store.saves.get(store.saves.size() - 1);
        assertThat(atKill.pendingChanges()).as("pending ahead of the section")
                .containsExactly(Change.modified(p("f")));
        assertThat(atKill.delivering()).isEmpty();
        assertThat(atKill.source()).doesNotContain(p("f").toString());
        assertThat(view(delivered)).containsExactly(p("f"));

        // Killed right after that write; f is deleted while the daemon is down. The section has no f to diff,
        // so only the pending change can tell the reconciler that f is gone.
        disk.clear();
        TickResult<Void> startup = restartOn(atKill, disk);
        delivered.add(startup);
        assertThat(startup.tick().changes().get(p("f"))).contains(Change.deleted(p("f")));
        assertThat(view(delivered)).as("start-up tick " + startup.tick().changes()).isEqualTo(disk);
    }

    @Test
    void anUncertainPathStillWaitingAtASecondCrashIsReportedDeletedOnceItWentAway() {
        // Tick 7 delivered "x created" to the reconciler, and the daemon was killed before it finished.
        DaemonState firstKill = new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, null, 7, null,
                List.of(), false, List.of(Change.created(p("x"))), p("x") + "\n", null);
        List<TickResult<Void>> delivered = new ArrayList<>();
        delivered.add(new TickResult<>(new Tick(7, EnumSet.of(Trigger.WATCH), ChangeSet.of(firstKill.delivering())),
                Outcome.OK, null, null, java.time.Instant.EPOCH, java.time.Instant.EPOCH));

        // Restarted with x still there, and killed again once start() wrote its baseline, before the start-up
        // tick reached the reconciler: x waits in that state to be redelivered.
        Set<Path> disk = new TreeSet<>(Set.of(p("x")));
        RecordingStore store = new RecordingStore(firstKill);
        StepVerifier.withVirtualTime(() -> {
                    ReconcileDaemon.<Void>builder(tick -> Mono.never()).source(new TreeSource(disk)).stateStore(store)
                            .build().start();
                    return Mono.just(store.saves.get(0));
                })
                .assertNext(baseline -> assertThat(baseline.pendingChanges()).extracting(Change::path)
                        .containsExactly(p("x")))
                .verifyComplete();
        DaemonState secondKill = store.saves.get(0);

        // x is deleted while down. The reconciler may know x (tick 7 may have reached it), so the deletion must
        // reach it, never be netted against x's redelivery.
        disk.clear();
        TickResult<Void> startup = restartOn(secondKill, disk);
        delivered.add(startup);
        assertThat(startup.tick().changes().get(p("x"))).contains(Change.deleted(p("x")));
        assertThat(view(delivered)).isEqualTo(disk);
    }

    @Test
    void anUncertainPathDeletedBeforeTheStartUpTickRunsIsReportedDeleted() {
        DaemonState atKill = new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, null, 7, null,
                List.of(), false, List.of(Change.created(p("x"))), p("x") + "\n", null);
        FaultyStore store = new FaultyStore();
        store.saved = atKill;
        TreeSource source = new TreeSource(new TreeSet<>(Set.of(p("x"))));
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        AtomicReference<Hold> hold = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(source).stateStore(store)
                            .build());
                    hold.set(daemon.get().hold("checkout in progress")); // the start-up tick waits for it
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> source.deleted(p("x")))
                .thenAwait(Duration.ofMillis(50))
                .then(() -> hold.get().close())
                .assertNext(r -> {
                    assertThat(r.tick().triggers()).contains(Trigger.STARTUP);
                    assertThat(r.tick().changes().get(p("x"))).contains(Change.deleted(p("x")));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
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
