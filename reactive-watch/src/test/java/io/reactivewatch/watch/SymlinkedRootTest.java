package io.reactivewatch.watch;

import static io.reactivewatch.core.ChangeKind.CREATED;
import static io.reactivewatch.core.ChangeKind.DELETED;
import static io.reactivewatch.core.ChangeKind.MODIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * A root given as a symbolic link ({@code link -> real}): watched at its real path, reported under the link,
 * everywhere the source names a path, and across a restart on persisted state.
 */
class SymlinkedRootTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private Path real;
    private Path link;
    private TickRecorder recorder;
    private final List<ReconcileDaemon<?>> daemons = new ArrayList<>();
    private final List<FileSource> sources = new ArrayList<>();
    private Disposable subscription;

    @BeforeEach
    void setUp() throws IOException {
        real = Files.createDirectory(tmp.resolve("real")).toRealPath();
        link = Files.createSymbolicLink(tmp.toRealPath().resolve("link"), real);
        recorder = new TickRecorder();
    }

    @AfterEach
    void tearDown() {
        if (subscription != null) {
            subscription.dispose();
        }
        daemons.forEach(ReconcileDaemon::close);
        sources.forEach(FileSource::close);
        recorder.dispose();
    }

    private ReconcileDaemon<Void> start(ReconcileDaemon.Builder<Void> builder) {
        ReconcileDaemon<Void> d = Fixture.start(builder, recorder);
        daemons.add(d);
        return d;
    }

    private static boolean under(Path path, Path dir) {
        return path.startsWith(dir);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void changesAreReportedUnderTheLinkNotUnderItsTarget(Backend backend) throws IOException {
        Path kept = Files.writeString(real.resolve("kept.txt"), "k");
        FileSource source = Fixture.source(backend, link).build();
        ReconcileDaemon<Void> daemon = start(Fixture.daemon(source, recorder));

        Files.writeString(real.resolve("a.txt"), "written through the real path");
        Files.createDirectories(link.resolve("sub"));
        Files.writeString(link.resolve("sub/b.txt"), "written through the link");
        recorder.awaitSaw(link.resolve("a.txt"), CREATED);
        recorder.awaitSaw(link.resolve("sub/b.txt"), CREATED);
        Files.writeString(real.resolve("a.txt"), "written through the real path, again");
        recorder.awaitSaw(link.resolve("a.txt"), MODIFIED);
        Files.delete(link.resolve("sub/b.txt"));
        recorder.awaitSaw(link.resolve("sub/b.txt"), DELETED);

        assertThat(recorder.history()).containsOnlyKeys(link.resolve("a.txt"), link.resolve("sub"),
                link.resolve("sub/b.txt"));
        assertThat(recorder.changes()).contains(new Change(link.resolve("sub"), CREATED, EntryType.DIR));
        assertThat(source.roots()).containsExactly(link);
        assertThat(source.describe().watchPaths()).containsExactly(link.toString());
        assertThat(daemon.status().watchPaths()).containsExactly(link.toString());
        assertThat(source.toString()).contains(link.toString()).doesNotContain(real.toString());
        assertThat(kept).exists();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void whatChangedWhileStoppedIsReportedUnderTheLinkAfterARestart(Backend backend) throws IOException {
        Path state = tmp.resolve("state/daemon.json");
        Files.writeString(real.resolve("modified.txt"), "m");
        Files.writeString(real.resolve("deleted.txt"), "d");
        Files.writeString(real.resolve("kept.txt"), "k");
        ReconcileDaemon<Void> first = start(Fixture.daemon(Fixture.source(backend, link).build(), recorder)
                .stateStore(StateStore.file(state)));
        first.close();

        Files.writeString(real.resolve("created.txt"), "c");
        Files.writeString(real.resolve("modified.txt"), "m, longer");
        Files.delete(real.resolve("deleted.txt"));
        ReconcileDaemon<Void> second = start(Fixture.daemon(Fixture.source(backend, link).build(), recorder)
                .stateStore(StateStore.file(state)));

        recorder.await("the startup tick", DEADLINE, r -> !r.ticks().isEmpty());
        Tick tick = recorder.ticks().get(0);
        assertThat(tick.triggers()).contains(Trigger.STARTUP);
        assertThat(tick.changes().changes()).containsExactlyInAnyOrder(
                new Change(link.resolve("created.txt"), CREATED, EntryType.FILE),
                new Change(link.resolve("modified.txt"), MODIFIED, EntryType.FILE),
                new Change(link.resolve("deleted.txt"), DELETED, EntryType.FILE));
        // And it goes on watching, under the link.
        Files.writeString(real.resolve("later.txt"), "l");
        recorder.awaitSaw(link.resolve("later.txt"), CREATED);
        assertThat(recorder.changes()).noneMatch(c -> under(c.path(), real));
        assertThat(second.status().watchPaths()).containsExactly(link.toString());
    }

    @Test
    void currentTruthAnswersForPathsUnderTheLink() throws IOException {
        Files.writeString(real.resolve("there.txt"), "t");
        Files.createDirectory(real.resolve("dir"));
        FileSource source = FileSource.builder().root(link).backend(Backend.POLLING).build();
        sources.add(source);
        source.open(SourceContext.none());

        assertThat(source.currentTruth(List.of(link.resolve("there.txt"), link.resolve("dir"),
                link.resolve("gone.txt")))).containsExactly(
                        new Change(link.resolve("there.txt"), MODIFIED, EntryType.FILE),
                        new Change(link.resolve("dir"), MODIFIED, EntryType.DIR),
                        new Change(link.resolve("gone.txt"), DELETED, EntryType.FILE));
        // A path under the real name (as a state file written before this fix holds) is still answered.
        assertThat(source.currentTruth(List.of(real.resolve("there.txt"))))
                .containsExactly(new Change(real.resolve("there.txt"), MODIFIED, EntryType.FILE));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRootUnderALinkedDirectoryIsReportedAsGivenAndLostAndFoundUnderThatName(Backend backend)
            throws IOException {
        Path root = Files.createDirectory(real.resolve("root"));
        Path a = Files.writeString(root.resolve("a.txt"), "a");
        Path given = link.resolve("root"); // the link is a parent of the root, not the root itself
        FileSource source = Fixture.source(backend, given).build();
        sources.add(source);
        List<SourceEvent> seen = new CopyOnWriteArrayList<>();
        subscription = source.events().subscribe(seen::add);
        await("the source open").atMost(DEADLINE).until(() -> source.watcher() != null);

        Files.move(root, real.resolve("root.away"));
        await("the root lost").atMost(DEADLINE).until(() -> seen.contains(Change.deleted(given.resolve("a.txt")))
                && source.describe().backendError() != null);
        assertThat(source.describe().backendError()).startsWith("watch root deleted: " + given + " (");
        assertThat(seen).contains(new Rescan(given, "root deleted"));

        Files.createDirectory(root);
        Files.writeString(root.resolve("b.txt"), "b");
        await("the root back").atMost(DEADLINE).until(() -> seen.contains(Change.created(given.resolve("b.txt")))
                && source.describe().backendError() == null);
        assertThat(seen).allMatch(e -> e instanceof Change c ? under(c.path(), given) : under(((Rescan) e).path(), given));
        assertThat(a).doesNotExist();
    }
}
