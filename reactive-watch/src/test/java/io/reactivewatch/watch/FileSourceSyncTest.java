package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;

/**
 * {@link FileSource#sync()} on a real filesystem: a manual tick right after a write includes it, for both
 * backends, wherever in the tree the write lands; cookie files never show and never stay behind.
 *
 * <p>The daemons here coalesce with a one-hour window, so no tick but the manual ones can take a change: each
 * manual tick's change set is exactly what happened since the one before.
 */
class FileSourceSyncTest {

    /** No tick starts by itself while a test runs. */
    private static final Coalescing NEVER = Coalescing.window(Duration.ofHours(1));
    /** No scan or fallback poll starts by itself while a test runs: only a sync can start one. */
    private static final Duration NO_SCAN = Duration.ofHours(1);
    private static final Duration TICK_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Path root;
    private TickRecorder recorder;
    private final List<ReconcileDaemon<?>> daemons = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        recorder = new TickRecorder();
    }

    @AfterEach
    void tearDown() {
        daemons.forEach(ReconcileDaemon::close);
        recorder.dispose();
    }

    private ReconcileDaemon<Void> start(ReconcileDaemon.Builder<Void> builder) {
        ReconcileDaemon<Void> d = Fixture.start(builder, recorder);
        daemons.add(d);
        return d;
    }

    private ReconcileDaemon<Void> start(FileSource source) {
        return start(Fixture.daemon(source, recorder, NEVER).syncTimeout(Duration.ofHours(1)));
    }

    private FileSource source(Backend backend, TestHooks hooks) {
        return FileSource.builder().root(root).backend(backend).scanInterval(NO_SCAN).build(hooks);
    }

    private static List<Path> paths(TickResult<Void> result) {
        return result.tick().changes().changes().stream().map(Change::path).toList();
    }

    private static TickResult<Void> tickNow(ReconcileDaemon<Void> daemon) {
        return daemon.tickNow().block(TICK_WAIT);
    }

    private List<Path> cookiesLeft() throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(tmp)) {
            all.filter(p -> SyncBarrier.isCookie(p.getFileName().toString())).forEach(out::add);
        }
        return out;
    }

    // ------------------------------------------------------------------ the native backend

    /**
     * The test: 1,000 times, write a new file and tick at once; the tick carries that file and nothing
     * else. In the root, its event and the cookie's share one watch; in a subdirectory they do not, and only
     * the drain after the cookie puts the file's event before the tick.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "sub/deeper"})
    void aFileWrittenJustBeforeTickNowIsInThatTickEveryTime(String where) throws IOException {
        Path dir = Files.createDirectories(root.resolve(where));
        ReconcileDaemon<Void> daemon = start(source(Backend.NATIVE, TestHooks.defaults()));

        for (int i = 0; i < 1000; i++) {
            Path file = Files.writeString(dir.resolve("f" + i + ".txt"), "x" + i);

            TickResult<Void> result = tickNow(daemon);

            assertThat(paths(result)).as("tick %d", i).containsExactly(file);
            assertThat(result.tick().changes().get(file)).get()
                    .isEqualTo(new Change(file, ChangeKind.CREATED, EntryType.FILE));
        }
        assertThat(recorder.ticks()).hasSize(1000).allMatch(t -> t.triggers().contains(Trigger.MANUAL));
        assertThat(cookiesLeft()).isEmpty();
    }

    @Test
    void aModificationJustBeforeTickNowIsInThatTickEveryTime() throws IOException {
        Path file = Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("one.txt"), "start");
        ReconcileDaemon<Void> daemon = start(source(Backend.NATIVE, TestHooks.defaults()));

        for (int i = 0; i < 200; i++) {
            Files.writeString(file, "content " + i + " ".repeat(i)); // a new size each time: never the same stat

            assertThat(paths(tickNow(daemon))).as("tick %d", i).containsExactly(file);
        }
    }

    @Test
    void aNewDirectoryWithAFileJustBeforeTickNowIsInThatTickWithItsFile() throws IOException {
        ReconcileDaemon<Void> daemon = start(source(Backend.NATIVE, TestHooks.defaults()));

        for (int i = 0; i < 200; i++) {
            Path dir = Files.createDirectories(root.resolve("d" + i + "/inner"));
            Path file = Files.writeString(dir.resolve("f.txt"), "x");

            assertThat(paths(tickNow(daemon))).as("tick %d", i)
                    .containsExactlyInAnyOrder(root.resolve("d" + i), dir, file);
        }
    }

    @Test
    void cookiesAreNeverReportedTrackedOrPersistedAndNoneStaysBehind() throws IOException {
        Path state = tmp.resolve("state.json");
        FileSource source = source(Backend.NATIVE, TestHooks.defaults());
        ReconcileDaemon<Void> daemon = start(Fixture.daemon(source, recorder, NEVER)
                .syncTimeout(Duration.ofHours(1)).stateStore(StateStore.file(state)));
        Path file = root.resolve("a.txt");

        for (int i = 0; i < 50; i++) {
            Files.writeString(file, "x".repeat(i + 1));
            daemon.sync().block(TICK_WAIT);
            assertThat(cookiesLeft()).as("cookies right after sync %d", i).isEmpty();
        }
        tickNow(daemon);
        daemon.stop().block(TICK_WAIT);

        assertThat(recorder.changes()).extracting(Change::path).containsOnly(file);
        assertThat(source.describe().trackedFiles()).isEqualTo(1);
        assertThat(source.checkpoint()).doesNotContain(SyncBarrier.COOKIE_PREFIX);
        assertThat(Files.readString(state)).doesNotContain(SyncBarrier.COOKIE_PREFIX);
        assertThat(cookiesLeft()).isEmpty();
    }

    /**
     * A worker held before it takes any event never sees the cookie: the daemon's sync timeout passes, the
     * tick runs anyway, and the cancel deletes the cookie. Once the worker runs, the cookie's events are
     * dropped like any cookie's.
     */
    @Test
    void aSyncCancelledByTheDaemonsTimeoutDeletesItsCookieAndTheTickRunsAnyway() throws IOException {
        CountDownLatch hold = new CountDownLatch(1);
        FileSource source = source(Backend.NATIVE, TestHooks.defaults().withHeldNativeWorker(hold));
        ReconcileDaemon<Void> daemon = start(Fixture.daemon(source, recorder, NEVER)
                .syncTimeout(Duration.ofMillis(200)));
        Path file = Files.writeString(root.resolve("a.txt"), "x");

        TickResult<Void> result = tickNow(daemon);

        assertThat(result.tick().triggers()).contains(Trigger.MANUAL);
        assertThat(paths(result)).doesNotContain(file); // the held worker has not reported it yet
        await("the cancelled sync's cookie deleted").atMost(Duration.ofSeconds(10))
                .until(() -> cookiesLeft().isEmpty());
        assertThat(source.watcher().barrier.pendingCount()).isZero();

        hold.countDown();
        assertThat(paths(tickNow(daemon))).containsExactly(file);
        assertThat(recorder.changes()).extracting(Change::path).containsOnly(file);
        assertThat(cookiesLeft()).isEmpty();
    }

    @Test
    void aSyncOfASourceOnItsOwnCancelledByItsSubscriberDeletesItsCookie() throws IOException {
        CountDownLatch hold = new CountDownLatch(1);
        FileSource source = source(Backend.NATIVE, TestHooks.defaults().withHeldNativeWorker(hold));
        List<Object> events = new CopyOnWriteArrayList<>();
        Disposable subscription = source.events().subscribe(events::add);
        try {
            await("the source open").atMost(Duration.ofSeconds(10)).until(() -> source.watcher() != null);
            Disposable sync = source.sync().subscribe();
            await("the cookie written").atMost(Duration.ofSeconds(10)).until(() -> !cookiesLeft().isEmpty());

            sync.dispose();

            await("the cookie deleted").atMost(Duration.ofSeconds(10)).until(() -> cookiesLeft().isEmpty());
            hold.countDown();
            Path file = Files.writeString(root.resolve("after.txt"), "x");
            source.sync().block(TICK_WAIT);
            // On its own there is no net effect: the create and the write may arrive as two changes.
            assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(((Change) e).path()).isEqualTo(file));
            assertThat(events.get(0)).isEqualTo(Change.created(file));
        } finally {
            subscription.dispose();
        }
    }

    /** Tests run as root here, so a read-only directory would still be writable: the hook stands in. */
    @Test
    void aRootWhereNoCookieCanBeWrittenStillSyncsAndIsWarnedAboutOnce() throws IOException {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().contains("cookie")) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(FileSource.class.getName());
        log.addHandler(handler);
        try {
            ReconcileDaemon<Void> daemon = start(source(Backend.NATIVE,
                    TestHooks.defaults().withRefuseCookie(r -> r.equals(root))));
            Path file = Files.writeString(root.resolve("a.txt"), "x");

            // The daemon's sync timeout is an hour: only the fallback can have completed these. It promises
            // less (what the watcher already queued), so the file may take more than one manual tick.
            await("the file in a manual tick").atMost(Duration.ofSeconds(10)).until(() -> {
                tickNow(daemon);
                return recorder.changes().stream().anyMatch(c -> c.path().equals(file));
            });
            tickNow(daemon);

            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getMessage()).contains("cannot write a cookie file in " + root)
                    .contains("Read-only file system");
            assertThat(cookiesLeft()).isEmpty();
        } finally {
            log.removeHandler(handler);
        }
    }

    /** The native backend polls what it cannot watch; with an hour between polls, only sync's scan finds it. */
    @Test
    void aWriteInASubtreePolledBecauseItCannotBeWatchedIsInTheNextManualTick() throws IOException {
        Path locked = Files.createDirectories(root.resolve("locked/inner"));
        ReconcileDaemon<Void> daemon = start(source(Backend.NATIVE,
                TestHooks.defaults().withRefuseWatch(p -> p.endsWith("locked"))));
        assertThat(daemon.status().backendError()).contains("cannot watch " + root.resolve("locked"));

        for (int i = 0; i < 20; i++) {
            Path polled = Files.writeString(locked.resolve("p" + i + ".txt"), "x");
            Path watched = Files.writeString(root.resolve("w" + i + ".txt"), "x");

            assertThat(paths(tickNow(daemon))).as("tick %d", i).containsExactlyInAnyOrder(polled, watched);
        }
    }

    @Test
    void aRootThatCameBackIsScannedByTheNextManualTick() throws IOException {
        Path old = Files.writeString(root.resolve("old.txt"), "x");
        FileSource source = source(Backend.NATIVE, TestHooks.defaults());
        ReconcileDaemon<Void> daemon = start(source);
        Files.delete(old);
        Files.delete(root);
        await("the root reported lost").atMost(Duration.ofSeconds(10)).until(() -> {
            String error = source.describe().backendError();
            return error != null && error.contains("watch root deleted: " + root);
        });
        Files.createDirectory(root);
        Path file = Files.writeString(root.resolve("new.txt"), "x");

        TickResult<Void> result = tickNow(daemon);

        assertThat(paths(result)).contains(old, file);
        assertThat(result.tick().changes().get(file)).get().extracting(Change::kind).isEqualTo(ChangeKind.CREATED);
        assertThat(daemon.status().backendError()).isNull();
    }

    // ------------------------------------------------------------------ the polling backend

    /** The scan interval is an hour: a tick that has the write can only have it from the scan sync started. */
    @Test
    void pollingTickNowScansAtOnceInsteadOfWaitingForTheInterval() throws IOException {
        Path sub = Files.createDirectories(root.resolve("sub"));
        ReconcileDaemon<Void> daemon = start(source(Backend.POLLING, TestHooks.defaults()));

        for (int i = 0; i < 20; i++) {
            Path file = Files.writeString((i % 2 == 0 ? root : sub).resolve("f" + i + ".txt"), "x");

            TickResult<Void> result = tickNow(daemon);

            assertThat(paths(result)).as("tick %d", i).containsExactly(file);
            assertThat(result.tick().triggers()).contains(Trigger.MANUAL);
        }
        assertThat(cookiesLeft()).isEmpty();
    }

    // ------------------------------------------------------------------ either backend

    @ParameterizedTest
    @EnumSource(Backend.class)
    void syncBeforeTheSourceOpensCompletesAtOnceAndAfterItClosedFails(Backend backend) {
        FileSource source = source(backend, TestHooks.defaults());

        assertThat(source.sync().block(TICK_WAIT)).isNull();

        source.close();
        assertThatThrownBy(() -> source.sync().block(TICK_WAIT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSyncWaitingWhenTheSourceStopsFailsInsteadOfHanging(Backend backend) throws IOException {
        CountDownLatch hold = new CountDownLatch(1); // the polling backend ignores it, and may complete first
        FileSource source = source(backend, TestHooks.defaults().withHeldNativeWorker(hold));
        Disposable subscription = source.events().subscribe();
        await("the source open").atMost(Duration.ofSeconds(10)).until(() -> source.watcher() != null);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        source.sync().subscribe(null, e -> {
            errors.add(e);
            done.countDown();
        }, done::countDown);

        subscription.dispose();

        await("the sync ended").atMost(Duration.ofSeconds(10)).until(() -> done.getCount() == 0);
        if (backend == Backend.NATIVE) {
            assertThat(errors).singleElement().isInstanceOf(IllegalStateException.class);
        }
        await("no cookie left").atMost(Duration.ofSeconds(10)).until(() -> cookiesLeft().isEmpty());
    }
}
