package io.reactivewatch.watch;

import static io.reactivewatch.core.ChangeKind.CREATED;
import static io.reactivewatch.core.ChangeKind.DELETED;
import static io.reactivewatch.core.ChangeKind.MODIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * A root that is a single file, on both backends: its directory is watched for that name only and never
 * walked, the file is reported under the root as given, and the directory is the root's identity. Tests that
 * must see a deletion and the creation after it apart read the source's own events (no daemon to net them).
 */
class FileRootTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private Path dir;
    private Path file;
    private TickRecorder recorder;
    private final List<ReconcileDaemon<?>> daemons = new ArrayList<>();
    private final List<SourceEvent> seen = new CopyOnWriteArrayList<>();
    private FileSource source;
    private Disposable subscription;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createDirectory(tmp.resolve("home")).toRealPath();
        file = Files.writeString(dir.resolve(".bashrc"), "export A=1\n");
        recorder = new TickRecorder();
    }

    @AfterEach
    void tearDown() {
        if (subscription != null) {
            subscription.dispose();
        }
        if (source != null) {
            source.close();
        }
        daemons.forEach(ReconcileDaemon::close);
        recorder.dispose();
    }

    private ReconcileDaemon<Void> start(ReconcileDaemon.Builder<Void> builder) {
        ReconcileDaemon<Void> d = Fixture.start(builder, recorder);
        daemons.add(d);
        return d;
    }

    private ReconcileDaemon<Void> start(FileSource.Builder builder) {
        return start(Fixture.daemon(builder.build(), recorder));
    }

    /** The source on its own: every event it emits, in order. */
    private void watch(FileSource.Builder builder, TestHooks hooks) {
        source = builder.build(hooks);
        subscription = source.events().subscribe(seen::add);
        await("the source open").atMost(DEADLINE).until(() -> source.watcher() != null);
    }

    private List<ChangeKind> kinds(Path path) {
        List<ChangeKind> out = new ArrayList<>();
        for (SourceEvent e : seen) {
            if (e instanceof Change c && c.path().equals(path)) {
                out.add(c.kind());
            }
        }
        return out;
    }

    private void awaitKinds(Path path, ChangeKind... kinds) {
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(kinds(path)).as("what %s saw; all: %s", path, seen)
                .containsExactly(kinds));
    }

    private static void atomicSave(Path target, String content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp-save");
        Files.writeString(tmp, content);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void onlyTheFileIsReportedNeverItsSiblingsNorWhatIsUnderItsDirectory(Backend backend) throws IOException {
        Path sibling = Files.writeString(dir.resolve("notes.txt"), "n");
        Path sub = Files.createDirectories(dir.resolve("projects/big"));
        Files.writeString(sub.resolve("Main.java"), "class Main {}");
        Set<Path> watchedDirs = ConcurrentHashMap.newKeySet();
        TestHooks hooks = TestHooks.defaults().withRefuseWatch(d -> {
            watchedDirs.add(d);
            return false;
        });
        ReconcileDaemon<Void> daemon = start(Fixture.daemon(Fixture.source(backend, file).build(hooks), recorder));

        Files.writeString(sibling, "changed");
        Files.writeString(sub.resolve("Main.java"), "class Main { }");
        Files.createDirectory(dir.resolve("new-dir"));
        Files.writeString(file, "export A=2\n");
        recorder.awaitSaw(file, MODIFIED);
        Files.writeString(dir.resolve("later.txt"), "after the file's change");
        daemon.tickNow().block(DEADLINE);

        assertThat(recorder.history()).containsOnlyKeys(file);
        assertThat(daemon.status().trackedFiles()).isEqualTo(1);
        assertThat(daemon.status().trackedDirectories()).isZero();
        assertThat(daemon.status().watchPaths()).containsExactly(file.toString());
        // The directory is the one watch: its subdirectories are never registered, nor walked.
        assertThat(watchedDirs).isSubsetOf(Set.of(dir));
        if (backend == Backend.NATIVE) {
            assertThat(watchedDirs).containsExactly(dir);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEditorsAtomicSaveIsOneModified(Backend backend) throws IOException {
        start(Fixture.source(backend, file));

        atomicSave(file, "export A=3\n");

        recorder.awaitSaw(file, MODIFIED);
        assertThat(recorder.history()).containsOnlyKeys(file);
        assertThat(recorder.history().get(file)).containsExactly(MODIFIED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theFileDeletedThenWrittenAgainIsDeletedThenCreated(Backend backend) throws IOException {
        watch(Fixture.source(backend, file), TestHooks.defaults());

        Files.delete(file);
        awaitKinds(file, DELETED);
        assertThat(source.describe().trackedFiles()).isZero();
        atomicSave(file, "back");
        awaitKinds(file, DELETED, CREATED);

        assertThat(source.describe().trackedFiles()).isEqualTo(1);
        assertThat(source.describe().backendError()).isNull();
        assertThat(seen).noneMatch(e -> e instanceof Rescan);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDirectoryAtTheFilesPathIsNotTheFileAndIsNeverWalked(Backend backend) throws IOException {
        watch(Fixture.source(backend, file), TestHooks.defaults());

        Files.delete(file);
        Files.createDirectory(file);
        Files.writeString(file.resolve("inside.txt"), "i");
        awaitKinds(file, DELETED);
        Files.delete(file.resolve("inside.txt"));
        Files.delete(file);
        atomicSave(file, "a file again");
        awaitKinds(file, DELETED, CREATED);

        assertThat(seen).allMatch(e -> e instanceof Change c && c.path().equals(file) && c.type() == EntryType.FILE);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void itsDirectoryMovedAwayLosesTheRootUntilADirectoryIsBack(Backend backend) throws IOException {
        Path away = tmp.toRealPath().resolve("home.away");
        watch(Fixture.source(backend, file), TestHooks.defaults());

        Files.move(dir, away);
        awaitKinds(file, DELETED);
        await("the root reported lost").atMost(DEADLINE).until(() -> source.describe().backendError() != null);
        assertThat(source.describe().backendError())
                .startsWith("watch root deleted: " + file + " (its directory " + dir + " removed, moved or renamed)");
        assertThat(seen).contains(new Rescan(file, "root deleted"));
        // The directory that moved away is none of the root's business any more.
        Files.writeString(away.resolve(".bashrc"), "changed where it went");

        Files.createDirectory(dir);
        atomicSave(file, "a new one");
        awaitKinds(file, DELETED, CREATED);
        await("the lost root's error cleared").atMost(DEADLINE).until(() -> source.describe().backendError() == null);

        atomicSave(file, "the new one, changed");
        awaitKinds(file, DELETED, CREATED, MODIFIED);
        assertThat(source.describe().trackedFiles()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void whatChangedWhileStoppedIsTheStartupTickAndAnUnchangedFileIsNot(Backend backend) throws IOException {
        Path state = tmp.resolve("state/daemon.json");
        Path other = Files.writeString(dir.resolve("other.txt"), "o");
        // A run that only wrote the full section, then one whose change went to the journal: after either, a
        // restart on an unchanged file has nothing pending (one that compared only part of the file's stat
        // would find it modified every time).
        start(withState(backend, state)).close();
        assertNothingPendingAfterARestart(backend, state);
        ReconcileDaemon<Void> watching = start(withState(backend, state));
        Files.writeString(file, "changed while watched, so the journal holds it");
        recorder.awaitSaw(file, MODIFIED);
        watching.close();
        assertNothingPendingAfterARestart(backend, state);

        Files.writeString(file, "changed while stopped, a longer text");
        Files.writeString(other, "not watched");
        int ticks = recorder.ticks().size();
        start(withState(backend, state));
        recorder.await("the startup tick", DEADLINE, r -> r.ticks().size() > ticks);
        Tick changed = recorder.ticks().get(ticks);
        assertThat(changed.triggers()).contains(Trigger.STARTUP);
        assertThat(changed.changes().changes()).containsExactly(new Change(file, MODIFIED, EntryType.FILE));
    }

    private ReconcileDaemon.Builder<Void> withState(Backend backend, Path state) {
        return Fixture.daemon(Fixture.source(backend, file).build(), recorder).stateStore(StateStore.file(state));
    }

    private void assertNothingPendingAfterARestart(Backend backend, Path state) {
        int ticks = recorder.ticks().size();
        ReconcileDaemon<Void> daemon = start(withState(backend, state));
        assertThat(daemon.status().pendingChanges()).isZero();
        daemon.tickNow().block(DEADLINE);
        assertThat(recorder.ticks()).hasSize(ticks + 1);
        assertThat(recorder.ticks().get(ticks).triggers()).containsExactly(Trigger.MANUAL);
        assertThat(recorder.ticks().get(ticks).changes().changes()).isEmpty();
        daemon.close();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFileRootAndADirectoryRootNextToItInItsDirectoryAreWatchedSideBySide(Backend backend)
            throws IOException {
        Path tree = Files.createDirectory(dir.resolve("src"));
        Path inTree = tree.resolve("A.java");
        ReconcileDaemon<Void> daemon = start(Fixture.source(backend, file).root(tree));

        Files.writeString(inTree, "class A {}");
        // An event of the file's directory naming the directory root: not the file root's, nor a root change.
        Files.setLastModifiedTime(tree, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        Files.writeString(file, "export A=4\n");
        recorder.awaitSaw(inTree, CREATED);
        recorder.awaitSaw(file, MODIFIED);

        assertThat(recorder.history()).containsOnlyKeys(file, inTree);
        assertThat(recorder.ticks()).noneMatch(t -> t.changes().rescan());
        assertThat(daemon.status().trackedFiles()).isEqualTo(2);
        assertThat(daemon.status().watchPaths()).containsExactly(file.toString(), tree.toString());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoFilesOfOneDirectoryAreTwoRootsLostTogetherWithTheirDirectory(Backend backend) throws IOException {
        Path profile = Files.writeString(dir.resolve(".profile"), "p");
        watch(Fixture.source(backend, file).root(profile), TestHooks.defaults());

        atomicSave(profile, "p, changed");
        awaitKinds(profile, MODIFIED);
        assertThat(kinds(file)).isEmpty();
        assertThat(source.describe().trackedFiles()).isEqualTo(2);

        Files.move(dir, tmp.toRealPath().resolve("home.away"));
        awaitKinds(file, DELETED);
        awaitKinds(profile, MODIFIED, DELETED);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSymbolicLinkToAFileIsReportedUnderTheLink(Backend backend) throws IOException {
        Path link = Files.createSymbolicLink(tmp.toRealPath().resolve("bashrc-link"), file);
        FileSource linked = Fixture.source(backend, link).build();
        ReconcileDaemon<Void> daemon = start(Fixture.daemon(linked, recorder));

        atomicSave(file, "saved through its real path");

        recorder.awaitSaw(link, MODIFIED);
        assertThat(recorder.history()).containsOnlyKeys(link);
        assertThat(daemon.status().watchPaths()).containsExactly(link.toString());
        assertThat(linked.currentTruth(List.of(link))).containsExactly(new Change(link, MODIFIED, EntryType.FILE));
    }

    @Test
    void aFileInsideADirectoryRootOverlapsIt() {
        assertThatThrownBy(() -> FileSource.builder().root(dir).root(file).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("roots must not overlap: " + file + " is inside " + dir);
    }

    @Test
    void theDaemonsOwnStateFileCannotBeARoot() {
        Path state = dir.resolve("state.json");
        start(Fixture.daemon(Fixture.source(Backend.POLLING, file).build(), recorder)
                .stateStore(StateStore.file(state))).close();
        assertThat(state).isRegularFile();

        ReconcileDaemon<Void> daemon = Fixture.daemon(Fixture.source(Backend.POLLING, file).root(state).build(),
                recorder).stateStore(StateStore.file(state)).build();
        daemons.add(daemon);
        assertThatThrownBy(daemon::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("watch root is one of the daemon's own files: " + state);
    }
}
