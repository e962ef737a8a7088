package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
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
 * The daemon with a journaling store: a full save first, one record per write after it, a full save again
 * when the store asks to compact or a write failed, and a restart that hands the source its section and
 * every change after it.
 */
class JournalTest {

    @TempDir
    Path dir;

    /**
     * A source that knows which paths exist, as a filesystem source would: its section lists them, its
     * changes say which came and went since the last call. Updating the set and emitting happen under one
     * lock, as the source contract asks.
     */
    static final class SetSource implements ChangeSource {
        final Sinks.Many<SourceEvent> sink = Fixtures.source();
        final Set<String> existing = new TreeSet<>();
        final List<String> since = new ArrayList<>();
        final AtomicInteger fullCheckpoints = new AtomicInteger();
        final AtomicInteger changeCheckpoints = new AtomicInteger();
        volatile SourceContext context;

        synchronized void create(String name) {
            existing.add(name);
            since.add("+" + name);
            emit(sink, Change.created(p(name)));
        }

        synchronized void delete(String name) {
            existing.remove(name);
            since.add("-" + name);
            emit(sink, Change.deleted(p(name)));
        }

        @Override
        public List<SourceEvent> open(SourceContext ctx) {
            context = ctx;
            ctx.persisted().ifPresent(section -> {
                for (String name : section.split(",")) {
                    if (!name.isEmpty()) {
                        existing.add(name);
                    }
                }
            });
            for (String changes : ctx.persistedChanges()) {
                for (String c : changes.split(",")) {
                    if (c.startsWith("+")) {
                        existing.add(c.substring(1));
                    } else {
                        existing.remove(c.substring(1));
                    }
                }
            }
            return List.of();
        }

        @Override
        public Flux<SourceEvent> events() {
            return sink.asFlux();
        }

        @Override
        public synchronized String checkpoint() {
            fullCheckpoints.incrementAndGet();
            since.clear();
            return String.join(",", existing);
        }

        @Override
        public synchronized String checkpointChanges() {
            changeCheckpoints.incrementAndGet();
            String out = String.join(",", since);
            since.clear();
            return out;
        }
    }

    /** A store that records what the daemon asks of it, and can be told to fail or to ask for compaction. */
    static final class Recording implements StateStore {
        final StateStore real;
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile IOException failAppend;
        volatile IOException failSave;
        volatile boolean tearAppend;
        volatile boolean askToCompact;
        final Path journal;

        Recording(Path file) {
            this.real = StateStore.file(file);
            this.journal = file.resolveSibling(file.getFileName() + ".journal");
        }

        @Override
        public Loaded load() {
            return real.load();
        }

        @Override
        public void save(DaemonState state) throws IOException {
            calls.add("save " + state.source());
            IOException f = failSave;
            if (f != null) {
                throw f;
            }
            real.save(state);
        }

        @Override
        public boolean appends() {
            return true;
        }

        @Override
        public boolean append(DaemonState state, String sourceChanges) throws IOException {
            calls.add("append " + sourceChanges);
            if (tearAppend) {
                // The write got half way, as when the process or the disk gave out in the middle of it.
                Files.write(journal, "0badc0de {\"savedAt\":".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
                throw new IOException("torn write (injected)");
            }
            IOException f = failAppend;
            if (f != null) {
                throw f;
            }
            return real.append(state, sourceChanges) || askToCompact;
        }

        @Override
        public boolean owns(Path path) {
            return real.owns(path);
        }
    }

    @Test
    void theFirstWriteIsFullThenEachWriteAppendsWhatChangedAndACompactionIsFullAgain() {
        Recording store = new Recording(dir.resolve("state.json"));
        SetSource source = new SetSource();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(source).stateStore(store).build()))
                .expectSubscription()
                .then(() -> assertThat(store.calls).containsExactly("save "))
                .then(() -> source.create("a"))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("a")))
                .then(() -> {
                    assertThat(store.calls).startsWith("save ", "append +a");
                    store.askToCompact = true;
                    source.create("b");
                })
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("b")))
                .then(() -> {
                    store.askToCompact = false;
                    source.create("c");
                })
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("c")))
                .thenAwait(Duration.ofSeconds(5))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        // After the append that asked to compact, the next write is a full section holding a, b and c.
        int asked = store.calls.indexOf("append +b");
        assertThat(asked).isPositive();
        assertThat(store.calls.get(asked + 1)).isEqualTo("save a,b,c");
        assertThat(store.calls.subList(asked + 2, store.calls.size())).allMatch(c -> c.startsWith("append"));
        assertThat(source.fullCheckpoints.get()).isEqualTo(2);
    }

    @Test
    void aFailedAppendMakesTheNextWriteFullSinceWhatTheSourceHandedOutIsNotOnDisk() {
        Recording store = new Recording(dir.resolve("state.json"));
        SetSource source = new SetSource();
        AtomicInteger delivered = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(
                                tick -> Mono.fromRunnable(delivered::incrementAndGet))
                        .source(source).stateStore(store).build()))
                .expectSubscription()
                .then(() -> {
                    store.failAppend = new IOException("No space left on device");
                    source.create("a");
                })
                .thenAwait(Duration.ofMillis(50))
                .then(() -> assertThat(delivered.get()).as("held back while its changes are not on disk").isZero())
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("a")))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        // The source's "+a" went into the failed record only: the retry is a full section, which holds it.
        assertThat(store.calls).startsWith("save ", "append +a", "save a");
        assertThat(delivered.get()).isEqualTo(1);
    }

    @Test
    void permissionDeniedOnEveryWriteHoldsTheTickLoudlyAndNothingIsLostOnceTheFileIsWritableAgain() {
        Path file = dir.resolve("state.json");
        Recording store = new Recording(file);
        SetSource source = new SetSource();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        List<List<Path>> seen = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.fromRunnable(
                                    () -> seen.add(List.copyOf(tick.changes().paths()))))
                            .source(source).stateStore(store).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> {
                    IOException denied = new java.nio.file.AccessDeniedException(file.toString());
                    store.failAppend = denied;
                    store.failSave = denied;
                    source.create("a");
                    source.delete("a");
                    source.create("b");
                })
                .thenAwait(Duration.ofSeconds(10))
                .then(() -> {
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.lastError()).contains("AccessDeniedException").contains(file.toString())
                            .contains("waits until its changes are on disk");
                    assertThat(s.persistFailures()).isGreaterThan(3);
                    assertThat(s.active()).isTrue();
                    assertThat(seen).as("nothing delivered that could not be recorded").isEmpty();
                    store.failAppend = null;
                    store.failSave = null;
                })
                .thenAwait(Duration.ofSeconds(31))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("b")))
                .then(() -> assertThat(daemon.get().status().lastError()).isNull())
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        StateStore.Loaded loaded = StateStore.file(file).load();
        assertThat(loaded.state().source()).as("the first write after recovery is a full section").isEqualTo("b");
        assertThat(loaded.sourceChanges()).isEmpty();
        assertThat(loaded.state().tickCount()).isEqualTo(1);
    }

    @Test
    void aTornAppendIsLoudTheDaemonLivesAndNothingIsLostOnceWritesSucceedAgain() throws Exception {
        Path file = dir.resolve("state.json");
        Recording store = new Recording(file);
        SetSource source = new SetSource();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        List<List<Path>> seen = new CopyOnWriteArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.fromRunnable(
                                    () -> seen.add(List.copyOf(tick.changes().paths()))))
                            .source(source).stateStore(store).build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> source.create("a"))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(r -> assertThat(r.outcome()).isEqualTo(Outcome.OK))
                .then(() -> {
                    store.tearAppend = true;
                    source.create("b");
                })
                .thenAwait(Duration.ofMillis(50))
                .then(() -> {
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.lastError()).contains("torn write").contains("waits until its changes are on disk");
                    assertThat(s.active()).isTrue();
                    assertThat(seen).hasSize(1);
                })
                .then(() -> {
                    // A crash now finds the torn record at the journal's end and drops it: b was never delivered,
                    // and the source's section still lacks it, so the next start reports it.
                    StateStore.Loaded atCrash = StateStore.file(file).load();
                    assertThat(atCrash.warning()).isNull();
                    assertThat(atCrash.state().delivering()).containsExactly(Change.created(p("a")));
                    assertThat(atCrash.sourceChanges()).containsExactly("+a");
                    store.tearAppend = false;
                })
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("b")))
                .then(() -> assertThat(daemon.get().status().lastError()).isNull())
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        assertThat(store.calls).contains("save a,b");

        // Restarted on the same files: the section and the records after it give the source what it had.
        SetSource again = new SetSource();
        ReconcileDaemon<Void> second = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(again).stateStore(StateStore.file(file)).build();
        second.start();
        try {
            assertThat(again.existing).containsExactly("a", "b");
            assertThat(second.status().lastError()).isNull();
        } finally {
            second.stop().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void aRestartAfterACrashReplaysTheRecordsOverTheSectionInOrder() {
        Path file = dir.resolve("state.json");
        SetSource source = new SetSource();
        StepVerifier.withVirtualTime(() -> startAndRecord(ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                        .source(source).stateStore(StateStore.file(file)).build()))
                .expectSubscription()
                .then(() -> source.create("a"))
                .thenAwait(Duration.ofMillis(50))
                .expectNextCount(1)
                .then(() -> source.create("b"))
                .thenAwait(Duration.ofMillis(50))
                .expectNextCount(1)
                .then(() -> source.delete("a"))
                .thenAwait(Duration.ofMillis(50))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(5))
                .thenCancel() // no stop: as if killed
                .verify(Duration.ofSeconds(30));
        StateStore.Loaded loaded = StateStore.file(file).load();
        assertThat(loaded.state().source()).as("the baseline section").isEmpty();
        assertThat(String.join(",", loaded.sourceChanges())).isEqualTo("+a,+b,-a");
        assertThat(loaded.state().tickCount()).isEqualTo(3);

        SetSource again = new SetSource();
        ReconcileDaemon<Void> second = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(again).stateStore(StateStore.file(file)).build();
        second.start();
        try {
            assertThat(again.existing).containsExactly("b");
            assertThat(again.context.persistedChanges()).hasSize(loaded.sourceChanges().size());
        } finally {
            second.stop().block(Duration.ofSeconds(10));
        }
    }
}
