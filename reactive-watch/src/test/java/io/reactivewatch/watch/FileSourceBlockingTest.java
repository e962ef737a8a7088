package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.blockhound.BlockHound;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * No blocking call on a Reactor non-blocking thread (parallel, single) while a daemon with a file source
 * watches a burst, persists, restarts a reconcile whose cancel handler blocks, and stops; nor while a file
 * source on its own feeds a single-flight transformer; nor while a sync (and its timeout's cancel) runs from
 * one. Runs in its own surefire execution: BlockHound
 * instruments the whole JVM.
 */
class FileSourceBlockingTest {

    /** Recorded rather than thrown: an error thrown inside a timer or operator could be swallowed. */
    private static final List<String> BLOCKING = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    private Path root;

    @BeforeAll
    static void installBlockHound() {
        BlockHound.install(b -> b
                // BlockHound knows java.io streams, not java.nio.file: opening (creating) and deleting files
                // through Files ends in these natives (JDK 17's descriptors; the check below proves they match).
                .markAsBlocking("sun.nio.fs.UnixNativeDispatcher", "open0", "(JII)I")
                .markAsBlocking("sun.nio.fs.UnixNativeDispatcher", "unlink0", "(J)V")
                .blockingMethodCallback(m -> BLOCKING.add(
                        Thread.currentThread().getName() + ": " + m + " at " + where())));
    }

    private static String where() {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (e.getClassName().startsWith("io.reactivewatch")) {
                sb.append("\n    ").append(e);
            }
        }
        return sb.toString();
    }

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        BLOCKING.clear();
    }

    @Test
    void theCheckSeesAYieldOnAParallelThread() {
        Mono.fromCallable(() -> {
            Thread.yield(); // a call BlockHound counts as blocking: proves the check is live
            return 1;
        }).subscribeOn(Schedulers.parallel()).onErrorReturn(0).block(Duration.ofSeconds(10));

        assertThat(BLOCKING).anyMatch(s -> s.contains("yield"));
    }

    @Test
    void theCheckSeesFilesCreatedAndDeletedOnAParallelThread() {
        Path file = root.resolve("made-on-parallel");
        Mono.fromCallable(() -> Files.deleteIfExists(Files.createFile(file)))
                .subscribeOn(Schedulers.parallel()).onErrorReturn(false).block(Duration.ofSeconds(10));

        assertThat(BLOCKING).anyMatch(s -> s.contains("open0")).anyMatch(s -> s.contains("unlink0"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBurstAPersistAndAStopNeverBlockAReactorNonBlockingThread(Backend backend) throws IOException {
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        FileSource source = FileSource.builder()
                .root(root)
                .backend(backend)
                .scanInterval(Fixture.POLL)
                .build();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder((Tick tick) -> {
            tick.changes().changes().stream().map(Change::path).forEach(seen::add);
            return Mono.<Void>empty();
        })
                .source(source)
                .window(Duration.ofMillis(30))
                .stateStore(StateStore.file(tmp.resolve("state.json")))
                .build();
        daemon.start();
        try {
            List<Path> burst = new ArrayList<>();
            Path dir = Files.createDirectories(root.resolve("dir with space/ünïcode"));
            for (int i = 0; i < 200; i++) {
                burst.add(Files.writeString((i % 2 == 0 ? root : dir).resolve("f" + i + ".txt"), "x" + i));
            }
            await("every file of the burst reconciled").atMost(Duration.ofSeconds(30))
                    .until(() -> seen.containsAll(burst));
            daemon.tickNow().block(Duration.ofSeconds(10));
            await("the state persisted").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(tmp.resolve("state.json")));
        } finally {
            daemon.stop().block(Duration.ofSeconds(30));
        }

        assertThat(daemon.status().active()).isFalse();
        assertThat(source.watcher().workerAlive()).isFalse();
        assertThat(BLOCKING).isEmpty();
    }

    /**
     * A restart cancels the running reconcile, and so does a stop past its grace period; this cancel handler
     * blocks while it "releases" its resources (it writes a file outside the watched root, as a real one may
     * flush state). The core runs cancels on its I/O scheduler: no parallel or single thread may be the one
     * that blocks, and BlockHound names any that does.
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRestartAndAStopWhoseCancelHandlerBlocksNeverBlockAReactorNonBlockingThread(Backend backend)
            throws IOException {
        Path slow = root.resolve("slow.txt");
        Path stuck = root.resolve("stuck.txt");
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        Set<Path> blockedOn = ConcurrentHashMap.newKeySet();
        List<String> cancelledOn = new CopyOnWriteArrayList<>();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder((Tick tick) -> {
            Set<Path> paths = tick.changes().paths();
            if (!paths.contains(slow) && !paths.contains(stuck)) {
                seen.addAll(paths);
                return Mono.<Void>empty();
            }
            paths.stream().filter(p -> p.equals(slow) || p.equals(stuck)).forEach(blockedOn::add);
            // Never completes by itself: only a cancel ends it, and its handler blocks.
            return Mono.<Void>never().doOnCancel(() -> {
                cancelledOn.add(Thread.currentThread().getName());
                try {
                    Files.writeString(tmp.resolve("released-" + cancelledOn.size() + ".txt"), "released");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        })
                .source(FileSource.builder().root(root).backend(backend).scanInterval(Fixture.POLL).build())
                .window(Duration.ofMillis(30))
                .busyPolicy(BusyPolicy.RESTART)
                .stopGracePeriod(Duration.ZERO)
                .build();
        daemon.start();
        try {
            Files.writeString(slow, "x");
            await("the slow tick running").atMost(Duration.ofSeconds(30)).until(() -> blockedOn.contains(slow));
            Path after = Files.writeString(root.resolve("after.txt"), "x");
            await("the restart cancelled it").atMost(Duration.ofSeconds(30)).until(() -> !cancelledOn.isEmpty());
            // Cancelled changes go back into pending, so the rerun is slow again until slow.txt is gone (created
            // then deleted: nothing); the next restart leaves after.txt alone.
            Files.delete(slow);
            await("the rerun without the slow file").atMost(Duration.ofSeconds(30)).until(() -> seen.contains(after));

            Files.writeString(stuck, "x");
            await("a tick stuck until the stop").atMost(Duration.ofSeconds(30)).until(() -> blockedOn.contains(stuck));
        } finally {
            daemon.stop().block(Duration.ofSeconds(30));
        }

        assertThat(daemon.status().active()).isFalse();
        assertThat(cancelledOn).hasSizeGreaterThanOrEqualTo(2).allMatch(name -> name.startsWith("boundedElastic"));
        assertThat(BLOCKING).isEmpty();
    }

    @Test
    void aFileSourceOnItsOwnThroughSingleFlightNeverBlocksAReactorNonBlockingThread() throws IOException {
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        Reconciler<Void> reconciler = tick -> Mono.fromRunnable(() -> seen.addAll(tick.changes().paths()));
        FileSource files = FileSource.builder().root(root).build();
        Disposable running = files.events()
                .transform(Coalescing.window(Duration.ofMillis(30)).batches(Schedulers.parallel()))
                .map(ChangeSet::of)
                .transform(ReconcileDaemon.builder(reconciler).buildSingleFlight())
                .subscribe();
        try {
            await("the source open").atMost(Duration.ofSeconds(10)).until(() -> files.watcher() != null);
            List<Path> burst = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                burst.add(Files.writeString(root.resolve("f" + i + ".txt"), "x" + i));
            }
            await("every file of the burst reconciled").atMost(Duration.ofSeconds(30))
                    .until(() -> seen.containsAll(burst));
        } finally {
            Mono.fromRunnable(running::dispose).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));
        }
        await("the source closed").atMost(Duration.ofSeconds(10)).until(() -> !files.watcher().workerAlive());
        assertThat(BLOCKING).isEmpty();
    }

    /** A web handler calls tickNow() on a non-blocking thread: the cookie is written and deleted elsewhere. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSyncAndATickNowCalledOnAParallelThreadNeverBlockIt(Backend backend) throws IOException {
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder((Tick tick) -> Mono.<Void>empty())
                .source(FileSource.builder().root(root).backend(backend).scanInterval(Duration.ofHours(1)).build())
                .window(Duration.ofHours(1))
                .syncTimeout(Duration.ofHours(1))
                .build();
        daemon.start();
        try {
            for (int i = 0; i < 20; i++) {
                Path file = Files.writeString(root.resolve("f" + i + ".txt"), "x");
                TickResult<Void> result = daemon.tickNow().subscribeOn(Schedulers.parallel())
                        .block(Duration.ofSeconds(30));
                assertThat(result.tick().changes().paths()).containsExactly(file);
                daemon.sync().subscribeOn(Schedulers.single()).block(Duration.ofSeconds(30));
            }
        } finally {
            daemon.stop().block(Duration.ofSeconds(30));
        }
        assertThat(cookies()).isEmpty();
        assertThat(BLOCKING).isEmpty();
    }

    /** The daemon's sync timeout fires on its parallel scheduler and cancels the sync there. */
    @Test
    void aSyncCancelledByTheDaemonsTimeoutNeverBlocksTheThreadThatCancels() throws IOException {
        CountDownLatch hold = new CountDownLatch(1);
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder((Tick tick) -> Mono.<Void>empty())
                .source(FileSource.builder().root(root).build(TestHooks.defaults().withHeldNativeWorker(hold)))
                .syncTimeout(Duration.ofMillis(100))
                .build();
        daemon.start();
        try {
            daemon.tickNow().subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(30));
            await("the cancelled sync's cookie deleted").atMost(Duration.ofSeconds(10))
                    .until(() -> cookies().isEmpty());
        } finally {
            hold.countDown();
            daemon.stop().block(Duration.ofSeconds(30));
        }
        assertThat(BLOCKING).isEmpty();
    }

    private List<Path> cookies() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(p -> SyncBarrier.isCookie(p.getFileName().toString())).toList();
        }
    }
}
