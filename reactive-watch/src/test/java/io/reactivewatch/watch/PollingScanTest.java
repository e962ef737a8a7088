package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.BaseSubscriber;

/**
 * A poll compared in place ({@link PollingScan}, through {@link PollingWatcher#scan}) finds what a fresh walk
 * diffed against the tracked tree finds, and reuses listings only where that cannot hide a change. Scans run
 * on the test thread; the worker waits out its hour-long interval meanwhile.
 */
class PollingScanTest {

    private static final long DAY = 86_400_000_000_000L;

    @TempDir
    Path tmp;

    private Path root;
    private PollingWatcher watcher;
    private final List<SourceEvent> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/one.txt"), "1");
        Files.writeString(root.resolve("a/b/two.txt"), "2");
        Files.writeString(root.resolve("top.txt"), "t");
    }

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close(Duration.ofSeconds(5));
        }
    }

    private TreeWatcher.Root start(boolean reuse, boolean dedupe) throws IOException {
        WatcherConfig cfg = new WatcherConfig(List.of(root), Duration.ofHours(1), null, PathFilter.none(), true,
                false, dedupe, TestHooks.defaults().withScanParallelism(1)).withReuseListings(reuse);
        watcher = new PollingWatcher(cfg);
        watcher.open();
        watcher.events().subscribe(seen::add);
        return watcher.roots.get(0);
    }

    /** The wall clock as the listings see it: {@code offset} after the start of the current day. */
    private static void clockAt(Listings listings, long offset) {
        listings.clock = () -> Math.floorDiv(System.currentTimeMillis() * 1_000_000L, DAY) * DAY + offset;
    }

    private List<SourceEvent> scan(TreeWatcher.Root r) {
        seen.clear();
        watcher.scan(r);
        return List.copyOf(seen);
    }

    @Test
    void aFileChangedInPlaceIsReportedWhileItsDirectoryListingIsReused() throws IOException {
        TreeWatcher.Root r = start(true, false);
        Listings listings = watcher.listings(r);
        listings.clock = () -> System.currentTimeMillis() * 1_000_000L + DAY; // every listing long settled
        scan(r);
        long listed = listings.listed;
        assertThat(listings.size()).isEqualTo(3);

        Path one = root.resolve("a/one.txt");
        Files.writeString(one, "changed in place"); // a's listing, times and inode do not move

        assertThat(scan(r)).containsExactly(new Change(one, ChangeKind.MODIFIED, EntryType.FILE));
        assertThat(listings.listed).isEqualTo(listed);
        assertThat(scan(r)).isEmpty();
        assertThat(listings.listed).isEqualTo(listed);
    }

    @Test
    void aFileAddedWithinTheRacyWindowIsNotMissed() throws IOException {
        TreeWatcher.Root r = start(true, false);
        Listings listings = watcher.listings(r);
        // A filesystem with day-long timestamps: whatever happens today leaves a directory the same times.
        listings.coarse = DAY;
        listings.granule = DAY;
        clockAt(listings, DAY / 2); // within the granule of today's changes: every listing is racy
        scan(r);
        assertThat(listings.size()).isZero();

        Path late = Files.writeString(root.resolve("a/late.txt"), "x");

        assertThat(scan(r)).containsExactly(new Change(late, ChangeKind.CREATED, EntryType.FILE));

        clockAt(listings, 2 * DAY); // a granule later: the listings taken now may be kept
        scan(r);
        assertThat(listings.size()).isEqualTo(3);
        long listed = listings.listed;
        assertThat(scan(r)).isEmpty();
        assertThat(listings.listed).isEqualTo(listed);
    }

    @Test
    void aDirectoryReplacedByAnotherIsListedAgain() throws IOException {
        TreeWatcher.Root r = start(true, false);
        Listings listings = watcher.listings(r);
        listings.coarse = DAY; // the replacement keeps the times: only the inode tells
        clockAt(listings, 2 * DAY);
        scan(r);
        assertThat(listings.size()).isEqualTo(3);

        Path b = root.resolve("a/b");
        Path other = Files.createDirectory(root.resolve("a/other")); // both exist at once: another inode
        Files.writeString(other.resolve("new.txt"), "n");
        Files.delete(b.resolve("two.txt"));
        Files.delete(b);
        Files.move(other, b);

        assertThat(scan(r)).contains(new Change(b.resolve("two.txt"), ChangeKind.DELETED, EntryType.FILE),
                new Change(b.resolve("new.txt"), ChangeKind.CREATED, EntryType.FILE));
        assertThat(scan(r)).isEmpty();
        assertThat(r.tree.node(b).name(0)).isEqualTo("new.txt");
    }

    @ParameterizedTest(name = "reuse {0}")
    @ValueSource(booleans = {true, false})
    void everyScanReportsWhatAFreshWalkDiffedAgainstTheTreeReportsAndCountsStayExact(boolean reuse)
            throws IOException {
        TreeWatcher.Root r = start(reuse, false);
        if (reuse) {
            watcher.listings(r).clock = () -> System.currentTimeMillis() * 1_000_000L + DAY;
        }
        Random random = new Random(13);
        for (int round = 0; round < 40; round++) {
            String full = watcher.checkpoint();
            Snapshot before = SnapshotCodec.decode(full).get(root);
            mutate(random);

            List<SourceEvent> got = scan(r);

            Snapshot fresh = r.scanner.scan(root, null, null);
            assertThat(got).as("round %d", round).containsExactlyElementsOf(SnapshotDiff.diff(before, fresh));
            assertThat(SnapshotDiff.diff(r.tree, fresh)).isEmpty();
            Set<Path> differ = new HashSet<>();
            SnapshotDiff.changedEntries(r.tree, fresh, differ);
            assertThat(differ).isEmpty();
            assertThat(r.count).isEqualTo(fresh.count());
            assertThat(r.dirs).isEqualTo(fresh.countDirs());
            // The increment recorded for this scan, over the full section taken before it, gives the full
            // section taken after it.
            String increment = watcher.checkpointChanges();
            Snapshot replayed = SnapshotCodec.decode(full, increment.isEmpty() ? List.of() : List.of(increment))
                    .get(root);
            Snapshot now = SnapshotCodec.decode(watcher.checkpoint()).get(root);
            Set<Path> replayDiffers = new HashSet<>();
            SnapshotDiff.changedEntries(replayed, now, replayDiffers);
            // A full section leaves out a directory top's size (never compared); an increment carries it.
            replayDiffers.remove(root);
            assertThat(replayed.topStat().mtime()).isEqualTo(now.topStat().mtime());
            assertThat(replayDiffers).as("round %d", round).isEmpty();
        }
    }

    @Test
    void aGitignoreEditedInPlaceTakesEffectWhileTheListingIsReused() throws IOException {
        Path ignore = Files.writeString(root.resolve("a/.gitignore"), "nothing\n");
        TreeWatcher.Root r = start(true, false);
        Listings listings = watcher.listings(r);
        listings.clock = () -> System.currentTimeMillis() * 1_000_000L + DAY;
        scan(r);
        long listed = listings.listed;

        Files.writeString(ignore, "one.txt\n"); // a's entries and times do not move

        assertThat(scan(r)).containsExactly(
                new Change(ignore, ChangeKind.MODIFIED, EntryType.FILE),
                new Change(root.resolve("a/one.txt"), ChangeKind.DELETED, EntryType.FILE));
        assertThat(listings.listed).isEqualTo(listed);
        Files.writeString(ignore, "\n");
        assertThat(scan(r)).containsExactly(
                new Change(ignore, ChangeKind.MODIFIED, EntryType.FILE),
                new Change(root.resolve("a/one.txt"), ChangeKind.CREATED, EntryType.FILE));
    }

    @Test
    void contentDedupeInPlaceReportsOnlyFilesWhoseContentChanged() throws IOException {
        TreeWatcher.Root r = start(true, true);
        Path one = root.resolve("a/one.txt");
        Path two = root.resolve("a/b/two.txt");
        Files.writeString(one, "first");
        scan(r);
        Files.writeString(one, "first"); // same bytes, new mtime
        Files.writeString(two, "3"); // same size, other bytes

        assertThat(scan(r)).containsExactly(new Change(two, ChangeKind.MODIFIED, EntryType.FILE));
        Files.writeString(two, "3");
        assertThat(scan(r)).isEmpty();
    }

    @Test
    void aCancelDuringTheEmissionLeavesTheTreeWithoutTheUndeliveredChanges() throws IOException {
        WatcherConfig cfg = new WatcherConfig(List.of(root), Duration.ofHours(1), null, PathFilter.none(), true,
                false, false, TestHooks.defaults().withScanParallelism(1));
        watcher = new PollingWatcher(cfg);
        watcher.open();
        watcher.events().subscribe(new BaseSubscriber<SourceEvent>() {
            @Override
            protected void hookOnNext(SourceEvent event) {
                seen.add(event);
                cancel(); // as the core's takeUntilOther does when stop() lands in the middle of a batch
            }
        });
        TreeWatcher.Root r = watcher.roots.get(0);
        String before = watcher.checkpoint();
        long count = r.count;
        Path a = Files.writeString(root.resolve("a/a.txt"), "x");
        Files.writeString(root.resolve("a/z.txt"), "x");
        Files.delete(root.resolve("top.txt"));

        watcher.scan(r);

        assertThat(seen).containsExactly(new Change(a, ChangeKind.CREATED, EntryType.FILE));
        // The tree went back to before the scan: the next start reports all three, none of them lost.
        assertThat(watcher.checkpoint()).isEqualTo(before);
        assertThat(r.count).isEqualTo(count);
    }

    @Test
    void aDirectoryThatCannotBeListedKeepsWhatWasKnownUnderIt() throws IOException {
        TreeWatcher.Root r = start(true, false);
        Path b = root.resolve("a/b");
        long count = r.count;
        Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.isReadable(b), "running as root: chmod 000 does not stop root from listing");
            Files.writeString(root.resolve("a/new.txt"), "n");
            assertThat(scan(r)).containsExactly(
                    new Change(root.resolve("a/new.txt"), ChangeKind.CREATED, EntryType.FILE));
            assertThat(r.tree.get(b.resolve("two.txt"))).isNotNull();
            assertThat(r.count).isEqualTo(count + 1);
        } finally {
            Files.setPosixFilePermissions(b, PosixFilePermissions.fromString("rwx------"));
        }
        assertThat(scan(r)).isEmpty();
    }

    @Test
    void turnedOffNoListingIsKept() throws IOException {
        TreeWatcher.Root r = start(false, false);
        assertThat(watcher.listings(r)).isNull();
        Path late = Files.writeString(root.resolve("a/b/late.txt"), "x");
        assertThat(scan(r)).containsExactly(new Change(late, ChangeKind.CREATED, EntryType.FILE));
    }

    /** A few random creates, deletes, modifications and type flips, in files and nested directories. */
    private void mutate(Random random) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(all::add);
        }
        List<Path> dirs = new ArrayList<>(all.stream().filter(Files::isDirectory).toList());
        dirs.add(root);
        int steps = 1 + random.nextInt(4);
        for (int k = 0; k < steps; k++) {
            int op = random.nextInt(6);
            Path dir = dirs.get(random.nextInt(dirs.size()));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            String name = "n" + random.nextInt(12);
            Path p = dir.resolve(name);
            switch (op) {
                case 0, 1 -> {
                    if (!Files.exists(p)) {
                        Files.writeString(p, "x".repeat(random.nextInt(5)));
                    }
                }
                case 2 -> {
                    if (!Files.exists(p)) {
                        Files.createDirectories(p.resolve("d" + random.nextInt(3)));
                        Files.writeString(p.resolve("f"), "f");
                    }
                }
                case 3 -> {
                    if (Files.isRegularFile(p)) {
                        Files.writeString(p, "y".repeat(1 + random.nextInt(9)));
                    }
                }
                case 4 -> delete(p);
                default -> {
                    if (Files.isRegularFile(p)) { // a file becomes a directory
                        Files.delete(p);
                        Files.createDirectory(p);
                        Files.writeString(p.resolve("inside"), "i");
                    } else if (Files.isDirectory(p)) { // and back
                        delete(p);
                        Files.writeString(p, "was a directory");
                    }
                }
            }
        }
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
