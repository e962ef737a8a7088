package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
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
import reactor.test.StepVerifier;

/** The watcher lock: what {@link TreeWatcher#checkpoint()} persists is never ahead of what was emitted. */
class TreeWatcherTest {

    @TempDir
    Path tmp;

    private Path root;
    private TreeWatcher watcher;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        Files.writeString(root.resolve("kept.txt"), "x");
    }

    @AfterEach
    void tearDown() {
        if (watcher != null) {
            watcher.close(Duration.ofSeconds(5));
        }
    }

    static WatcherConfig config(List<Path> roots, boolean followSymlinks) {
        return config(roots, followSymlinks, TestHooks.defaults().withScanParallelism(1));
    }

    static WatcherConfig config(List<Path> roots, boolean followSymlinks, TestHooks hooks) {
        return new WatcherConfig(roots, Duration.ofHours(1), null, PathFilter.none(), true, followSymlinks, false,
                hooks);
    }

    private Map<Path, Snapshot> persisted() {
        return SnapshotCodec.decode(watcher.checkpoint());
    }

    @Test
    void aChangeFoundAfterTheEventsWereCancelledStaysOutOfThePersistedSnapshot() throws IOException {
        watcher = new PollingWatcher(config(List.of(root), false));
        watcher.open();
        List<SourceEvent> seen = new CopyOnWriteArrayList<>();
        Disposable subscription = watcher.events().subscribe(seen::add);
        subscription.dispose();

        Path late = Files.writeString(root.resolve("late.txt"), "x");
        TreeWatcher.Root r = watcher.roots.get(0);
        watcher.apply(r, r.scanner.scan(root, null, null), null);

        assertThat(seen).isEmpty();
        // Nobody received "created late.txt": persisting it would make the next start think it was delivered.
        assertThat(persisted().get(root).get(late)).isNull();
        assertThat(persisted().get(root).get(root.resolve("kept.txt"))).isNotNull();
    }

    @Test
    void whenTheSubscriberCancelsMidDeliveryTheUndeliveredChangesStayOutOfThePersistedSnapshot() throws IOException {
        watcher = new PollingWatcher(config(List.of(root), false));
        watcher.open();
        List<SourceEvent> seen = new CopyOnWriteArrayList<>();
        watcher.events().subscribe(new BaseSubscriber<SourceEvent>() {
            @Override
            protected void hookOnNext(SourceEvent event) {
                seen.add(event);
                cancel(); // as the core's takeUntilOther does when stop() lands in the middle of a batch
            }
        });

        Path a = Files.writeString(root.resolve("a.txt"), "x");
        Path b = Files.writeString(root.resolve("b.txt"), "x");
        TreeWatcher.Root r = watcher.roots.get(0);
        watcher.apply(r, r.scanner.scan(root, null, null), null);

        assertThat(seen).extracting(e -> ((Change) e).path()).containsExactly(a);
        assertThat(persisted().get(root).get(b)).isNull();
    }

    @Test
    void cancellingTheEventsEndsTheWorkerAndCloseReleasesTheWatchService() throws IOException {
        List<WatchService> opened = new CopyOnWriteArrayList<>();
        watcher = new NativeWatcher(config(List.of(root), false, TestHooks.defaults().withWatchServices(() -> {
            WatchService w = FileSystems.getDefault().newWatchService();
            opened.add(w);
            return w;
        })));
        watcher.open();
        Disposable subscription = watcher.events().subscribe();
        assertThat(watcher.workerAlive()).isTrue();
        // The scan interval is an hour: the worker is in WatchService.poll and no event will come.
        await("the worker waits for events").atMost(Duration.ofSeconds(10))
                .until(((NativeWatcher) watcher)::parkedInPoll);

        subscription.dispose(); // never blocks: it only tells the worker to end
        await("the worker ended").atMost(Duration.ofSeconds(10)).until(() -> !watcher.workerAlive());
        assertThat(opened).hasSize(1);

        watcher.close(Duration.ofSeconds(5));
        assertThatThrownBy(opened.get(0)::poll).isInstanceOf(ClosedWatchServiceException.class);
    }

    @Test
    void eventsSubscribedAfterCloseCompleteAndStartNoWorker() throws IOException {
        watcher = new PollingWatcher(config(List.of(root), false));
        watcher.open();
        watcher.close(Duration.ofSeconds(5));

        StepVerifier.create(watcher.events()).expectComplete().verify(Duration.ofSeconds(5));
        assertThat(watcher.workerAlive()).isFalse();
    }
}
