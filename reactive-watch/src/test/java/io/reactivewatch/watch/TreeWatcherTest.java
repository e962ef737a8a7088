package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;

/** The source lock: what {@link TreeWatcher#snapshot()} persists is never ahead of what was emitted. */
class TreeWatcherTest {

    @TempDir
    Path tmp;

    private Path root;
    private TreeWatcher source;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        Files.writeString(root.resolve("kept.txt"), "x");
    }

    @AfterEach
    void tearDown() {
        if (source != null) {
            source.close(Duration.ofSeconds(5));
        }
    }

    static WatcherConfig config(List<Path> roots, boolean followSymlinks) {
        return new WatcherConfig(roots, Duration.ofHours(1), null, PathFilter.none(), true, followSymlinks, false,
                1, p -> false, WatcherConfig.WatchServices.platform());
    }

    private Map<Path, Snapshot> persisted() {
        return SnapshotCodec.decode(source.snapshot());
    }

    @Test
    void aChangeFoundAfterTheEventsWereCancelledStaysOutOfThePersistedSnapshot() throws IOException {
        source = new PollingWatcher(config(List.of(root), false));
        source.open();
        List<SourceEvent> seen = new CopyOnWriteArrayList<>();
        Disposable subscription = source.events().subscribe(seen::add);
        subscription.dispose();

        Path late = Files.writeString(root.resolve("late.txt"), "x");
        TreeWatcher.Root r = source.roots.get(0);
        source.apply(r, r.scanner.scan(root, null, null), null);

        assertThat(seen).isEmpty();
        // Nobody received "created late.txt": persisting it would make the next start think it was delivered.
        assertThat(persisted().get(root).get(late)).isNull();
        assertThat(persisted().get(root).get(root.resolve("kept.txt"))).isNotNull();
    }

    @Test
    void whenTheSubscriberCancelsMidDeliveryTheUndeliveredChangesStayOutOfThePersistedSnapshot() throws IOException {
        source = new PollingWatcher(config(List.of(root), false));
        source.open();
        List<SourceEvent> seen = new CopyOnWriteArrayList<>();
        source.events().subscribe(new BaseSubscriber<SourceEvent>() {
            @Override
            protected void hookOnNext(SourceEvent event) {
                seen.add(event);
                cancel(); // as the core's takeUntilOther does when stop() lands in the middle of a batch
            }
        });

        Path a = Files.writeString(root.resolve("a.txt"), "x");
        Path b = Files.writeString(root.resolve("b.txt"), "x");
        TreeWatcher.Root r = source.roots.get(0);
        source.apply(r, r.scanner.scan(root, null, null), null);

        assertThat(seen).extracting(e -> ((Change) e).path()).containsExactly(a);
        assertThat(persisted().get(root).get(b)).isNull();
    }
}
