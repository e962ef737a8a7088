package io.reactivewatch.watch;

import static io.reactivewatch.core.ChangeKind.CREATED;
import static io.reactivewatch.core.ChangeKind.DELETED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * A root (or a directory under it) moved, renamed or replaced while it is watched, on both backends. The
 * directory a root names is the one whose file key was tracked: anything else at its path (nothing, a file,
 * another directory) makes the root lost, like a deleted one, until a directory is there again. Most tests
 * read the source's own events (no daemon), so a deletion and the creation after it are seen apart instead
 * of netted into one change.
 */
class RootIdentityTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private Path root;
    private Path away;
    private final List<SourceEvent> seen = new CopyOnWriteArrayList<>();
    private FileSource files;
    private Disposable subscription;
    private ReconcileDaemon<Void> daemon;
    private TickRecorder recorder;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        away = tmp.toRealPath().resolve("root.away");
    }

    @AfterEach
    void tearDown() {
        if (subscription != null) {
            subscription.dispose();
        }
        if (files != null) {
            files.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (recorder != null) {
            recorder.dispose();
        }
    }

    private void watch(Backend backend) {
        watch(backend, TestHooks.defaults());
    }

    private void watch(Backend backend, TestHooks hooks) {
        files = Fixture.source(backend, root).build(hooks);
        subscription = files.events().subscribe(seen::add);
        await("the source open").atMost(DEADLINE).until(() -> files.watcher() != null);
    }

    /** The kinds reported for a path, in order. */
    private List<ChangeKind> kinds(Path path) {
        List<ChangeKind> out = new ArrayList<>();
        for (SourceEvent e : seen) {
            if (e instanceof Change c && c.path().equals(path)) {
                out.add(c.kind());
            }
        }
        return out;
    }

    private void awaitSaw(Path path, ChangeKind kind) {
        await(kind.wireName() + " " + path).atMost(DEADLINE).until(() -> kinds(path).contains(kind));
    }

    private String error() {
        return files.describe().backendError();
    }

    private void awaitLost() {
        await("the root reported lost").atMost(DEADLINE)
                .until(() -> error() != null && error().contains("watch root deleted: " + root));
    }

    private void awaitRearmed() {
        await("the lost root's error cleared").atMost(DEADLINE).until(() -> error() == null);
    }

    private List<Path> pathsUnder(Path dir) {
        List<Path> out = new ArrayList<>();
        for (SourceEvent e : seen) {
            if (e instanceof Change c && c.path().startsWith(dir)) {
                out.add(c.path());
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRootMovedAwayIsReportedDeletedAndWatchedAgainWhenADirectoryIsBackWithNewFiles(Backend backend)
            throws IOException {
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        Path sub = Files.createDirectory(root.resolve("sub"));
        Path b = Files.writeString(sub.resolve("b.txt"), "b");
        watch(backend);

        Files.move(root, away);
        awaitSaw(a, DELETED);
        awaitSaw(b, DELETED);
        awaitSaw(sub, DELETED);
        awaitLost();
        assertThat(seen).contains(new Rescan(root, "root deleted"));
        // Nothing at the path: whatever happens to the directory that moved away is none of this root's business.
        Files.writeString(away.resolve("a.txt"), "changed where it went");
        Files.writeString(away.resolve("c.txt"), "created where it went");

        Files.createDirectory(root);
        Path fresh = Files.writeString(root.resolve("new.txt"), "n");
        awaitSaw(fresh, CREATED);
        awaitRearmed();
        Files.writeString(away.resolve("late.txt"), "written after the root came back");
        Path marker = Files.writeString(root.resolve("marker.txt"), "m");
        awaitSaw(marker, CREATED);

        assertThat(kinds(a)).containsExactly(DELETED);
        assertThat(kinds(b)).containsExactly(DELETED);
        assertThat(kinds(root.resolve("c.txt"))).isEmpty();
        assertThat(kinds(root.resolve("late.txt"))).isEmpty();
        assertThat(pathsUnder(away)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRootReplacedByAnotherDirectoryThroughARenameReportsTheOldTreeDeletedAndTheNewOneCreated(Backend backend)
            throws IOException {
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        Path same = Files.writeString(root.resolve("same.txt"), "in the old tree");
        Path other = Files.createDirectory(tmp.resolve("other"));
        Files.writeString(other.resolve("same.txt"), "in the other tree, longer");
        Files.writeString(other.resolve("b.txt"), "b");
        watch(backend);

        Files.move(root, away);
        Files.move(other, root);
        Path b = root.resolve("b.txt");
        awaitSaw(b, CREATED);
        awaitRearmed();

        // Unrelated trees are never diffed: the old one leaves, the new one arrives.
        assertThat(kinds(a)).containsExactly(DELETED);
        assertThat(kinds(same)).containsExactly(DELETED, CREATED);
        assertThat(kinds(b)).containsExactly(CREATED);
        assertThat(seen).noneMatch(e -> e instanceof Change c && c.kind() == ChangeKind.MODIFIED);
        assertThat(seen).anyMatch(e -> e instanceof Rescan r && r.path().equals(root));

        Files.writeString(away.resolve("late.txt"), "written in the old tree");
        Path marker = Files.writeString(root.resolve("marker.txt"), "m");
        awaitSaw(marker, CREATED);
        assertThat(kinds(root.resolve("late.txt"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRootReplacedByAFileIsLostUntilADirectoryIsBack(Backend backend) throws IOException {
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        watch(backend);

        Files.move(root, away);
        Files.writeString(root, "a file where the root was");
        awaitSaw(a, DELETED);
        awaitLost();
        Files.writeString(away.resolve("a.txt"), "changed where it went");

        Files.delete(root);
        Files.createDirectory(root);
        Path again = Files.writeString(root.resolve("again.txt"), "x");
        awaitSaw(again, CREATED);
        awaitRearmed();

        assertThat(kinds(a)).containsExactly(DELETED);
        // The root is reported gone as the directory it was and back as a directory, never as a file.
        assertThat(kinds(root)).containsExactly(DELETED, CREATED);
        assertThat(seen).filteredOn(e -> e instanceof Change c && c.path().equals(root))
                .allMatch(e -> ((Change) e).type() == EntryType.DIR);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void writesIntoARootMovedAwayBeforeTheWatcherLooksAreNeverReported(Backend backend) throws IOException {
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        Path sub = Files.createDirectory(root.resolve("sub"));
        Path b = Files.writeString(sub.resolve("b.txt"), "b");
        CountDownLatch hold = new CountDownLatch(1);
        watch(backend, TestHooks.defaults().withHeldNativeWorker(hold)); // the polling backend ignores the hold

        // The native worker takes no event meanwhile: the events of the moved directory wait in its keys.
        Files.move(root, away);
        Files.writeString(away.resolve("a.txt"), "changed where it went");
        Files.writeString(away.resolve("c.txt"), "created where it went");
        Files.writeString(away.resolve("sub/b.txt"), "changed where it went");
        Files.writeString(away.resolve("sub/d.txt"), "created where it went");
        Files.createDirectory(root);
        Path fresh = Files.writeString(root.resolve("new.txt"), "n");
        hold.countDown();

        awaitSaw(fresh, CREATED);
        awaitRearmed();
        assertThat(kinds(a)).containsExactly(DELETED);
        assertThat(kinds(b)).containsExactly(DELETED);
        assertThat(kinds(root.resolve("c.txt"))).isEmpty();
        assertThat(kinds(root.resolve("sub/d.txt"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void writesIntoASubdirectoryMovedOutOfTheRootAreNotReportedUnderItsOldPath(Backend backend) throws IOException {
        Path sub = Files.createDirectories(root.resolve("sub/deeper"));
        Path a = Files.writeString(root.resolve("sub/a.txt"), "a");
        Path deep = Files.writeString(sub.resolve("d.txt"), "d");
        watch(backend);
        Path gone = tmp.resolve("sub.away");

        Files.move(root.resolve("sub"), gone);
        awaitSaw(a, DELETED);
        awaitSaw(deep, DELETED);
        Files.writeString(gone.resolve("a.txt"), "changed where it went");
        Files.writeString(gone.resolve("deeper/d.txt"), "changed where it went");
        Files.writeString(gone.resolve("deeper/new.txt"), "created where it went");
        Path marker = Files.writeString(root.resolve("marker.txt"), "m");
        awaitSaw(marker, CREATED);

        assertThat(kinds(a)).containsExactly(DELETED);
        assertThat(kinds(deep)).containsExactly(DELETED);
        assertThat(kinds(sub.resolve("new.txt"))).isEmpty();
        assertThat(error()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSubdirectoryReplacedBeforeTheWatcherLooksIsWatchedAsTheNewDirectory(Backend backend) throws IOException {
        Path sub = Files.createDirectories(root.resolve("sub/deeper"));
        Path a = Files.writeString(root.resolve("sub/a.txt"), "a");
        CountDownLatch hold = new CountDownLatch(1);
        watch(backend, TestHooks.defaults().withHeldNativeWorker(hold));
        Path gone = tmp.resolve("sub.away");

        Files.move(root.resolve("sub"), gone);
        Files.writeString(gone.resolve("a.txt"), "changed where it went");
        Files.createDirectories(root.resolve("sub/deeper"));
        Path fresh = Files.writeString(root.resolve("sub/fresh.txt"), "f");
        hold.countDown();
        awaitSaw(fresh, CREATED);
        awaitSaw(a, DELETED);

        // The moved directory's watches must not stand in for the new one's: writes there are not reported,
        // and writes into the new directory (and the new one under it) are.
        Files.writeString(gone.resolve("late.txt"), "written where it went");
        Files.writeString(gone.resolve("deeper/late.txt"), "written where it went");
        Path marker = Files.writeString(root.resolve("sub/marker.txt"), "m");
        Path deepMarker = Files.writeString(sub.resolve("marker.txt"), "m");
        awaitSaw(marker, CREATED);
        awaitSaw(deepMarker, CREATED);

        assertThat(kinds(a)).containsExactly(DELETED);
        assertThat(kinds(root.resolve("sub/late.txt"))).isEmpty();
        assertThat(kinds(sub.resolve("late.txt"))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theDaemonStatusNamesAMovedRootWhileItIsMissingAndClearsOnceItIsBack(Backend backend) throws IOException {
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        recorder = new TickRecorder();
        daemon = Fixture.start(Fixture.daemon(Fixture.source(backend, root).build(), recorder), recorder);

        Files.move(root, away);
        recorder.awaitSaw(a, DELETED);
        recorder.await("the root named in status", DEADLINE, r -> daemon.status().backendError() != null
                && daemon.status().backendError().contains("watch root deleted: " + root));
        recorder.await("the rescan tick of the lost root", DEADLINE,
                r -> r.ticks().stream().anyMatch(t -> t.changes().rescan()));

        Files.createDirectory(root);
        Path again = Files.writeString(root.resolve("again.txt"), "x");
        recorder.awaitSaw(again, CREATED);
        recorder.await("the error cleared", DEADLINE, r -> daemon.status().backendError() == null);
    }
}
