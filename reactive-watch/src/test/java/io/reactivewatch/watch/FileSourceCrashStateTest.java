package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The state a {@code kill -9} leaves behind, taken while a tick runs (the file is written before its reconcile
 * starts), then a restart on a tree changed meanwhile: the uncertain tick's paths arrive as they are now.
 */
class FileSourceCrashStateTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFileCreatedDeliveredThenDeletedWhileDownIsReportedDeleted(Backend backend) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path state = dir.resolve("state.json");
        Path journal = dir.resolve("state.json.journal");
        Path crashed = dir.resolve("crashed.json");
        Path crashedJournal = dir.resolve("crashed.json.journal");
        CountDownLatch inTick = new CountDownLatch(1);
        ReconcileDaemon<Void> first = ReconcileDaemon.<Void>builder(tick -> tick.changes().isEmpty() ? Mono.empty()
                        : Mono.<Void>never().doOnSubscribe(s -> inTick.countDown()))
                .source(Fixture.source(backend, root).build()).coalescing(Fixture.WINDOW)
                .stateStore(StateStore.file(state)).stopGracePeriod(Duration.ZERO).build();
        first.start();
        Path x = Files.writeString(root.resolve("x.txt"), "x");
        await().atMost(DEADLINE).until(() -> inTick.getCount() == 0);
        // What a kill -9 now would leave: the state written before this tick's reconcile started (the snapshot
        // and the journal record appended after it).
        Files.copy(state, crashed, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(journal, crashedJournal, StandardCopyOption.REPLACE_EXISTING);
        first.close();

        Files.delete(x);
        Path y = Files.writeString(root.resolve("y.txt"), "y");
        Files.move(crashed, state, StandardCopyOption.REPLACE_EXISTING);
        Files.move(crashedJournal, journal, StandardCopyOption.REPLACE_EXISTING);
        TickResult<Void> startup = startupTick(backend, root, state);
        assertThat(startup.tick().changes().get(x)).contains(Change.deleted(x));
        assertThat(startup.tick().changes().get(y)).contains(Change.created(y));
        assertThat(startup.tick().number()).as("tick numbers continue").isGreaterThan(1);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anUnusableStateFileOfOursGivesARescanTickListingEverythingThatExists(Backend backend) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        Path sub = Files.createDirectories(root.resolve("sub"));
        Path b = Files.writeString(sub.resolve("b.txt"), "b");
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{\"format\":\"reactive-watch-state\",\"schemaVersion\":2,\"pendingChanges\":[{\"pa");
        TickResult<Void> startup = startupTick(backend, root, state);
        assertThat(startup.tick().triggers()).contains(Trigger.RESCAN);
        assertThat(startup.tick().changes().rescan()).isTrue();
        assertThat(startup.tick().changes().changes()).containsExactlyInAnyOrder(Change.created(a),
                new Change(sub, ChangeKind.CREATED, EntryType.DIR), Change.created(b));
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.startsWith("state.json.corrupt-"));
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStateOfOursWithoutTheSourcesSectionGivesARescanTickListingEverythingAndKeepsWhatWasPending(
            Backend backend) throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        Path sub = Files.createDirectories(root.resolve("sub"));
        Path b = Files.writeString(sub.resolve("b.txt"), "b");
        Path gone = root.resolve("gone.txt");
        Path state = dir.resolve("state.json");
        // Ours and readable, but the file source's section is missing: without it the source would take the
        // tree as it is now for its baseline, and what changed while down would never be reported.
        Files.writeString(state, "{\"format\":\"reactive-watch-state\",\"schemaVersion\":3,\"tickCount\":5,"
                + "\"pendingChanges\":[{\"path\":\"" + gone + "\",\"kind\":\"deleted\",\"type\":\"file\"}]}");
        TickResult<Void> startup = startupTick(backend, root, state);
        assertThat(startup.tick().triggers()).contains(Trigger.STARTUP, Trigger.RESCAN);
        assertThat(startup.tick().changes().rescan()).isTrue();
        assertThat(startup.tick().changes().changes()).containsExactlyInAnyOrder(Change.created(a),
                new Change(sub, ChangeKind.CREATED, EntryType.DIR), Change.created(b), Change.deleted(gone));
        assertThat(startup.tick().number()).as("the rest of the state is kept: tick numbers continue").isEqualTo(6);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.contains(".corrupt-"));
        }
        assertThat(StateStore.file(state).load().state().source()).as("the section is written again at start")
                .isNotNull();
    }

    /** Starts a daemon on {@code state}, waits for its start-up tick, stops it, and returns that tick. */
    private static TickResult<Void> startupTick(Backend backend, Path root, Path state) {
        AtomicReference<TickResult<Void>> startup = new AtomicReference<>();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(Fixture.source(backend, root).build()).coalescing(Fixture.WINDOW)
                .stateStore(StateStore.file(state)).build();
        daemon.ticks().filter(r -> r.tick().triggers().contains(Trigger.STARTUP)).subscribe(startup::set);
        daemon.start();
        try {
            await().atMost(DEADLINE).until(() -> startup.get() != null);
        } finally {
            daemon.close();
        }
        return startup.get();
    }
}
