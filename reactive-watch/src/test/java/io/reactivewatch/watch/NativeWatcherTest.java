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
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.BaseSubscriber;

/**
 * What only the native backend does: overflow, registration failures, start-up walk, and how one batch of
 * events moves the tracked tree.
 */
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
    private NativeWatcher watcher;
    private final List<SourceEvent> seen = new CopyOnWriteArrayList<>();

    private ReconcileDaemon<Void> start(TestHooks hooks) {
        return Fixture.start(Fixture.daemon(Fixture.source(Backend.NATIVE, root).build(hooks), recorder), recorder);
    }

    @AfterEach
    void tearDown() throws IOException {
        if (daemon != null) {
            daemon.close();
        }
        if (watcher != null) {
            watcher.close(Duration.ofSeconds(5));
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

    // ------------------------------------------------------------------ one batch, processed by the test

    /**
     * A native watcher on the root whose worker is held before it takes any event, subscribed: the test hands
     * it batches itself ({@link NativeWatcher#processEvents}), so what one batch holds is exactly what it says.
     */
    private NativeWatcher heldWatcher(PathFilter filter, Subscriber<SourceEvent> subscriber) throws IOException {
        watcher = new NativeWatcher(new WatcherConfig(List.of(root), Duration.ofHours(1), null, filter, true, false,
                false, TestHooks.defaults().withScanParallelism(1).withHeldNativeWorker(new CountDownLatch(1))));
        watcher.open();
        watcher.events().subscribe(subscriber);
        return watcher;
    }

    private NativeWatcher heldWatcher() throws IOException {
        return heldWatcher(PathFilter.none(), collecting());
    }

    private BaseSubscriber<SourceEvent> collecting() {
        return new BaseSubscriber<>() {
            @Override
            protected void hookOnNext(SourceEvent event) {
                seen.add(event);
            }
        };
    }

    @Test
    void aFileReplacedByADirectoryAndBackWithinOneBatchIsOneModificationOfAFile() throws IOException {
        Path f = Files.writeString(root.resolve("f"), "before");
        NativeWatcher w = heldWatcher();

        Files.delete(f);
        Files.createDirectory(f);
        Files.writeString(f.resolve("x"), "x");
        Files.delete(f.resolve("x"));
        Files.delete(f);
        Files.writeString(f, "after, longer");
        w.processEvents(List.of(f));

        assertThat(seen).containsExactly(new Change(f, ChangeKind.MODIFIED, EntryType.FILE));
        assertTracksWhatIsOnDisk(w);
    }

    @Test
    void aFileReplacedByADirectoryIsDeletedThenCreatedAsADirectoryAndTheReverseLikewise() throws IOException {
        Path f = Files.writeString(root.resolve("f"), "file");
        NativeWatcher w = heldWatcher();

        Files.delete(f);
        Files.createDirectory(f);
        Path x = Files.writeString(f.resolve("x"), "x");
        w.processEvents(List.of(f));
        assertThat(seen).containsExactly(new Change(f, DELETED, EntryType.FILE), new Change(f, CREATED, EntryType.DIR),
                new Change(x, CREATED, EntryType.FILE));
        assertTracksWhatIsOnDisk(w);

        seen.clear();
        Files.delete(x);
        Files.delete(f);
        Files.writeString(f, "file again");
        w.processEvents(List.of(x, f)); // the directory's own key reports x first
        assertThat(seen).containsExactly(new Change(x, DELETED, EntryType.FILE), new Change(f, DELETED, EntryType.DIR),
                new Change(f, CREATED, EntryType.FILE));
        assertTracksWhatIsOnDisk(w);
    }

    @Test
    void aFileCreatedAndDeletedWithinOneBatchIsNoChange() throws IOException {
        NativeWatcher w = heldWatcher();

        Path brief = Files.writeString(root.resolve("brief.tmp"), "x");
        Files.delete(brief);
        Path kept = Files.writeString(root.resolve("kept.txt"), "x");
        w.processEvents(List.of(brief, kept));

        assertThat(seen).containsExactly(new Change(kept, CREATED, EntryType.FILE));
        assertTracksWhatIsOnDisk(w);
    }

    @Test
    void aFileTheFiltersOrAGitignoreLeaveOutIsNotReportedWhenItChanges() throws IOException {
        Files.writeString(root.resolve(".gitignore"), "*.tmp\n");
        Path ignored = Files.writeString(root.resolve("scratch.tmp"), "x");
        Path excluded = Files.writeString(root.resolve("app.log"), "x");
        Path inExcludedDir = Files.writeString(Files.createDirectory(root.resolve("build")).resolve("out.txt"), "x");
        Path kept = Files.writeString(root.resolve("kept.txt"), "x");
        NativeWatcher w = heldWatcher(new PathFilter(List.of(), List.of("*.log", "build/"), Set.of(), p -> false),
                collecting());

        for (Path p : List.of(ignored, excluded, inExcludedDir, kept)) {
            Files.writeString(p, "changed, and longer");
        }
        w.processEvents(List.of(ignored, excluded, inExcludedDir, kept));

        assertThat(seen).containsExactly(new Change(kept, ChangeKind.MODIFIED, EntryType.FILE));
        assertThat(w.roots.get(0).tree.get(ignored)).isNull();
        assertThat(w.roots.get(0).tree.get(excluded)).isNull();
        assertThat(w.roots.get(0).tree.get(inExcludedDir)).isNull();
    }

    @Test
    void aBatchWhoseSubscriberCancelsMidDeliveryLeavesTheTreeClaimingNothingOfIt() throws IOException {
        Path kept = Files.writeString(root.resolve("kept.txt"), "x");
        NativeWatcher w = heldWatcher(PathFilter.none(), new BaseSubscriber<>() {
            @Override
            protected void hookOnNext(SourceEvent event) {
                seen.add(event);
                cancel(); // as the core's takeUntilOther does when stop() lands in the middle of a batch
            }
        });
        Stat keptBefore = w.roots.get(0).tree.get(kept);
        long countBefore = w.roots.get(0).count;

        Path a = Files.writeString(root.resolve("a.txt"), "x");
        Path b = Files.writeString(root.resolve("b.txt"), "x");
        Files.writeString(kept, "modified, and longer");
        w.processEvents(List.of(a, b, kept));

        assertThat(seen).containsExactly(new Change(a, CREATED, EntryType.FILE));
        Snapshot persisted = SnapshotCodec.decode(w.checkpoint()).get(root);
        // b and the modification were dropped, and a may have been: none of it may look delivered.
        assertThat(persisted.get(a)).isNull();
        assertThat(persisted.get(b)).isNull();
        assertThat(persisted.get(kept)).isEqualTo(keptBefore);
        assertThat(w.roots.get(0).count).isEqualTo(countBefore);
    }

    @Test
    void afterAMixedBatchTheTrackedTreeCountsAndIncrementMatchAFreshWalk() throws IOException {
        Path d1 = Files.createDirectory(root.resolve("d1"));
        Path d2 = Files.createDirectory(root.resolve("d2"));
        List<Path> d2Files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Files.writeString(root.resolve("r" + i), "x");
            Files.writeString(d1.resolve("f" + i), "x");
            d2Files.add(Files.writeString(d2.resolve("g" + i), "x"));
        }
        Files.writeString(root.resolve("becomes-dir"), "x");
        NativeWatcher w = heldWatcher();
        String full = w.checkpoint(); // from now on changed entries are recorded for the increment
        Snapshot before = SnapshotCodec.decode(full).get(root);

        List<Path> events = new ArrayList<>();
        events.add(Files.writeString(root.resolve("new-root-file"), "x"));
        events.add(Files.writeString(d1.resolve("new-in-d1"), "x"));
        events.add(Files.writeString(root.resolve("r0"), "modified, and longer"));
        events.add(Files.writeString(d1.resolve("f1"), "modified, and longer"));
        Files.delete(root.resolve("r2"));
        events.add(root.resolve("r2"));
        Files.delete(d1.resolve("f3"));
        events.add(d1.resolve("f3"));
        for (Path g : d2Files) {
            Files.delete(g);
            events.add(g); // d2's own key: its files go before it does
        }
        Files.delete(d2);
        events.add(d2);
        Path d3 = Files.createDirectories(root.resolve("d3/deeper"));
        Files.writeString(d3.resolve("h"), "x");
        events.add(root.resolve("d3"));
        events.add(d3.resolve("h")); // covered by the walk of d3
        Files.delete(root.resolve("becomes-dir"));
        Files.writeString(Files.createDirectory(root.resolve("becomes-dir")).resolve("inside"), "x");
        events.add(root.resolve("becomes-dir"));
        Path brief = Files.writeString(d1.resolve("brief"), "x");
        Files.delete(brief);
        events.add(brief);
        events.add(root.resolve("r4")); // an event for a file that did not change
        w.processEvents(events);

        Snapshot fresh = w.roots.get(0).scanner.scan(root, null, null);
        assertTracksWhatIsOnDisk(w);
        assertThat(w.describe().trackedFiles()).isEqualTo(fresh.count() - fresh.countDirs());
        assertThat(w.describe().trackedDirectories()).isEqualTo(fresh.countDirs());
        assertThat(entries(SnapshotCodec.decode(full, List.of(w.checkpointChanges())).get(root)))
                .isEqualTo(entries(fresh));
        // Each path is reported once, as the diff of the whole tree reports it (directories' own metadata aside).
        assertThat(seen).containsExactlyInAnyOrderElementsOf(SnapshotDiff.diff(before, fresh));
    }

    /** The tracked tree, its counts and the status hold what a walk of the root finds now. */
    private static void assertTracksWhatIsOnDisk(NativeWatcher w) {
        TreeWatcher.Root r = w.roots.get(0);
        Snapshot fresh = r.scanner.scan(r.path, null, null);
        assertThat(entries(r.tree)).isEqualTo(entries(fresh));
        assertThat(r.count).isEqualTo(fresh.count());
        assertThat(r.dirs).isEqualTo(fresh.countDirs());
    }

    /**
     * Every tracked entry with its stat; a directory by type and file key only, since its size and modification
     * time move with its entries and are not what it is tracked for.
     */
    private static Map<Path, Stat> entries(TreeView tree) {
        Map<Path, Stat> out = new TreeMap<>();
        for (Path dir : tree.dirs()) {
            DirEntries node = tree.node(dir);
            for (int i = 0; i < node.size(); i++) {
                Stat s = node.stat(i);
                out.put(dir.resolve(node.name(i)), s.isDir() ? new Stat(Stat.DIR, 0, 0, s.key(), 0) : s);
            }
        }
        return out;
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
