package io.reactivewatch.watch;

import static io.reactivewatch.core.ChangeKind.CREATED;
import static io.reactivewatch.core.ChangeKind.DELETED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the native backend does: overflow, registration failures, start-up walk. */
class NativeWatcherTest {

    @TempDir
    Path tmp;

    private Path root;
    private final TickRecorder recorder = new TickRecorder();
    private ReconcileDaemon<Void> daemon;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
    }

    private Path scratch;

    private ReconcileDaemon<Void> start(TestHooks hooks) {
        return Fixture.start(Fixture.daemon(Fixture.source(Backend.NATIVE, root).build(hooks), recorder), recorder);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        recorder.dispose();
        if (scratch != null) {
            FileSourceDaemonTest.deleteTree(scratch);
        }
    }

    @Test
    void anOverflowRescansTheDirectoryAndLosesNothing() throws IOException {
        CountDownLatch hold = new CountDownLatch(1);
        daemon = start(TestHooks.defaults().withHeldNativeWorker(hold));
        Set<Path> expected = new LinkedHashSet<>();
        // The worker takes no event meanwhile, so the JDK's queue for this directory (512 events) overflows.
        for (int i = 0; i < 1000; i++) {
            expected.add(Files.writeString(root.resolve("f" + i), "x"));
        }
        hold.countDown();

        recorder.await("all 1000 files", Duration.ofSeconds(30), r -> created(r).containsAll(expected));
        assertThat(recorder.ticks()).anyMatch(t -> t.changes().rescan());
        assertThat(daemon.status().rescans()).isGreaterThanOrEqualTo(1);
        assertThat(recorder.changes()).noneMatch(c -> c.kind() == ChangeKind.DELETED);
    }

    @Test
    void aDirectoryThatCannotBeWatchedIsPolledAndNamedInStatus() throws IOException {
        Path locked = Files.createDirectories(root.resolve("locked/inner"));
        daemon = start(TestHooks.defaults().withRefuseWatch(p -> p.endsWith("locked")));

        assertThat(daemon.status().backendError()).contains("cannot watch " + root.resolve("locked"))
                .contains("polling it every");
        Path polled = Files.writeString(locked.resolve("a.txt"), "x");
        Path watched = Files.writeString(root.resolve("b.txt"), "x");
        recorder.awaitSaw(polled, CREATED);
        recorder.awaitSaw(watched, CREATED);
        Path newDir = Files.createDirectories(root.resolve("locked/new/deeper"));
        Path deep = Files.writeString(newDir.resolve("c.txt"), "x");
        recorder.awaitSaw(deep, CREATED);
        assertThat(recorder.history()).doesNotContainKey(root.resolve("locked/inner"));
    }

    @Test
    void withoutAWatchServiceTheWholeTreeIsPolledInstead() throws IOException {
        daemon = start(TestHooks.defaults().withWatchServices(() -> {
            throw new IOException("User limit of inotify instances reached or too many open files");
        }));

        assertThat(daemon.status().backendError()).contains("native watching is unavailable")
                .contains("inotify instances");
        Files.createDirectories(root.resolve("a/b"));
        Path file = Files.writeString(root.resolve("a/b/c.txt"), "x");
        recorder.awaitSaw(file, CREATED);
        Files.delete(file);
        recorder.awaitSaw(file, ChangeKind.DELETED);
    }

    @Test
    void anUnreadableSubtreeIsReportedAndTheRestKeepsWorking() throws IOException {
        Path locked = Files.createDirectories(root.resolve("locked"));
        Files.writeString(locked.resolve("a.txt"), "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(locked),
                    "running as root: chmod 000 does not stop root from reading, so this cannot be observed here; "
                            + "aDirectoryThatCannotBeWatchedIsPolledAndNamedInStatus covers the same path by injection");
            daemon = start(TestHooks.defaults());
            assertThat(daemon.status().backendError()).contains(locked.toString());
            Path ok = Files.writeString(root.resolve("ok.txt"), "x");
            recorder.awaitSaw(ok, CREATED);
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void startsOnFiftyThousandFilesInTwoAndAHalfThousandDirectories() throws IOException {
        // Creating 50,000 files on this machine's disk takes close to a minute; tmpfs takes a second.
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            scratch = Files.createTempDirectory(shm, "rwatch-start-");
            root = scratch.toRealPath();
        }
        for (int d = 0; d < 2500; d++) {
            Path dir = Files.createDirectories(root.resolve("d" + d / 50).resolve("e" + d));
            for (int f = 0; f < 20; f++) {
                Files.createFile(dir.resolve("f" + f));
            }
        }
        long t0 = System.nanoTime();
        daemon = start(TestHooks.defaults());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("native start-up on 50,000 files in 2,550 directories: %d ms%n", millis);

        assertThat(daemon.status().trackedFiles()).isEqualTo(50_000);
        assertThat(daemon.status().trackedDirectories()).isEqualTo(2_500 + 50);
        Path deep = Files.writeString(root.resolve("d49/e2499/new.txt"), "x");
        recorder.awaitSaw(deep, CREATED);
    }

    @Test
    void aRootReplacedByAFileBeforeTheEventIsHandledIsReportedMissingAndWatchedAgainOnceADirectory()
            throws IOException {
        Path file = Files.writeString(root.resolve("a.txt"), "a");
        CountDownLatch hold = new CountDownLatch(1);
        daemon = start(TestHooks.defaults().withHeldNativeWorker(hold));
        Files.delete(file);
        Files.delete(root);
        Files.writeString(root, "now a file"); // in place before the worker sees the root's deletion
        hold.countDown();

        recorder.awaitSaw(file, DELETED);
        recorder.await("the root reported missing", Duration.ofSeconds(10),
                r -> r.lastStatus() != null && r.lastStatus().backendError() != null
                        && r.lastStatus().backendError().contains("watch root deleted"));
        // The root is reported gone (as the deleted root it was), never as a file that was modified.
        assertThat(recorder.history()).containsOnlyKeys(file, root);
        assertThat(recorder.changes()).filteredOn(c -> c.path().equals(root))
                .allMatch(c -> c.kind() == DELETED && c.type() == EntryType.DIR);

        Files.delete(root);
        Files.createDirectory(root);
        Path again = Files.writeString(root.resolve("b.txt"), "b");
        recorder.awaitSaw(again, CREATED);
    }

    @Test
    void withoutAWatchServiceADeletedRootIsReportedAndPickedUpAgainWhenItReappears() throws IOException {
        Path file = Files.writeString(root.resolve("a.txt"), "a");
        daemon = start(TestHooks.defaults().withWatchServices(() -> {
            throw new IOException("User limit of inotify instances reached or too many open files");
        }));

        FileSourceDaemonTest.deleteTree(root);
        recorder.awaitSaw(file, DELETED);
        recorder.await("the root reported missing", Duration.ofSeconds(10),
                r -> daemon.status().backendError() != null
                        && daemon.status().backendError().contains("watch root deleted"));

        Files.createDirectory(root);
        Path again = Files.writeString(root.resolve("b.txt"), "b");
        recorder.awaitSaw(again, CREATED);
    }

    @Test
    void aStartThatFailsWithAnErrorMidWalkClosesTheWatchService() {
        ClosableWatchService service = new ClosableWatchService();
        ReconcileDaemon<Void> failing = Fixture.daemon(Fixture.source(Backend.NATIVE, root).build(TestHooks.defaults()
                .withWatchServices(() -> service)
                .withRefuseWatch(dir -> {
                    throw new OutOfMemoryError("simulated: the walk died with an Error, not an exception");
                })), recorder).build();

        assertThatThrownBy(failing::start).isInstanceOf(OutOfMemoryError.class);
        assertThat(service.closed).isTrue();
    }

    /** Enough of a watch service for a start that fails before anything registers with it. */
    private static final class ClosableWatchService implements WatchService {
        volatile boolean closed;

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public WatchKey poll() {
            return null;
        }

        @Override
        public WatchKey poll(long timeout, TimeUnit unit) {
            return null;
        }

        @Override
        public WatchKey take() {
            throw new UnsupportedOperationException();
        }
    }

    private static Set<Path> created(TickRecorder r) {
        Set<Path> out = new HashSet<>();
        for (Change c : r.changes()) {
            if (c.kind() == CREATED) {
                out.add(c.path());
            }
        }
        return out;
    }
}
