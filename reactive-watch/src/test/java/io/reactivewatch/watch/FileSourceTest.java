package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** A {@link FileSource} on its own: a plain flux of changes, no daemon. */
class FileSourceTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void onItsOwnItOpensOnSubscriptionDeliversOffItsThreadAndClosesOnCancel(Backend backend) throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        List<WatchService> opened = new CopyOnWriteArrayList<>();
        FileSource files = Fixture.source(backend, root).build(TestHooks.defaults().withWatchServices(() -> {
            WatchService w = FileSystems.getDefault().newWatchService();
            opened.add(w);
            return w;
        }));
        List<Change> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        Disposable subscription = files.events().subscribe(e -> {
            threads.add(Thread.currentThread().getName());
            seen.add((Change) e);
        });
        await("the source open").atMost(Duration.ofSeconds(10)).until(() -> files.watcher() != null);
        assertThat(files.checkpoint()).isNotNull();

        Path file = Files.writeString(root.resolve("a.txt"), "x");
        await("the change").atMost(Duration.ofSeconds(10)).until(() -> seen.contains(Change.created(file)));
        assertThat(threads).allMatch(name -> name.startsWith("boundedElastic"));
        TreeWatcher watcher = files.watcher();

        subscription.dispose();

        await("the watcher closed").atMost(Duration.ofSeconds(10)).until(() -> !watcher.workerAlive());
        if (backend == Backend.NATIVE) {
            assertThat(opened).hasSize(1);
            await("the watch service released").atMost(Duration.ofSeconds(10)).until(() -> closed(opened.get(0)));
        } else {
            assertThat(opened).isEmpty();
        }
        assertThatThrownBy(() -> files.open(SourceContext.none())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("runs once");
    }

    private static boolean closed(WatchService w) {
        try {
            w.poll();
            return false;
        } catch (ClosedWatchServiceException e) {
            return true;
        }
    }

    @Test
    void onItsOwnACancelDuringTheWalkReleasesWhatTheWalkOpened() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        List<WatchService> opened = new CopyOnWriteArrayList<>();
        CountDownLatch walking = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        FileSource files = FileSource.builder().root(root).build(TestHooks.defaults()
                .withWatchServices(() -> {
                    WatchService w = FileSystems.getDefault().newWatchService();
                    opened.add(w);
                    return w;
                })
                .withRefuseWatch(dir -> {
                    walking.countDown();
                    try {
                        resume.await(); // the walk stands still here until the test lets it go on
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false;
                }));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Disposable subscription = files.events().subscribe(e -> { }, errors::add);
        await("the walk started").atMost(Duration.ofSeconds(10)).until(() -> walking.getCount() == 0);

        subscription.dispose();
        resume.countDown();

        // Whether the walk or the release (on its own thread) finishes first, the watch service ends up closed;
        // which of the two closes it is not part of the contract.
        await("the watch service released").atMost(Duration.ofSeconds(10))
                .until(() -> opened.size() == 1 && closed(opened.get(0)));
        assertThat(errors).isEmpty();
    }

    @Test
    void onItsOwnAMissingRootFailsTheFlux() {
        Path missing = tmp.resolve("missing");
        StepVerifier.create(FileSource.builder().root(missing).build().events())
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("watch root does not exist: " + missing))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void itIsSubscribedOnce() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        FileSource files = FileSource.builder().root(root).build();
        Disposable first = files.events().subscribe();
        try {
            StepVerifier.create(files.events())
                    .expectErrorMessage("a FileSource can be subscribed once")
                    .verify(Duration.ofSeconds(10));
        } finally {
            first.dispose();
        }
    }

    @Test
    void openedItReportsNothingWithoutAPersistedSectionAndDescribesItself() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        Files.writeString(root.resolve("a.txt"), "x");
        FileSource files = FileSource.builder().root(root).backend(Backend.POLLING)
                .scanInterval(Duration.ofMillis(250)).build();
        assertThat(files.describe().trackedFiles()).isZero();
        assertThat(files.describe().scanInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(files.checkpoint()).isNull();
        try {
            List<SourceEvent> startup = files.open(SourceContext.none());

            assertThat(startup).isEmpty();
            assertThat(files.describe().watchPaths()).containsExactly(root.toString());
            assertThat(files.describe().backend()).isEqualTo("polling");
            assertThat(files.describe().trackedFiles()).isEqualTo(1);
            assertThat(files.describe().scanInterval()).isEqualTo(Duration.ofMillis(250));
            assertThat(SnapshotCodec.decode(files.checkpoint()).get(root).get(root.resolve("a.txt"))).isNotNull();
            assertThatThrownBy(() -> files.open(SourceContext.none())).isInstanceOf(IllegalStateException.class)
                    .hasMessage("FileSource already opened; a source runs once, build a new one");
        } finally {
            files.close();
        }
        files.close(); // idempotent
        assertThat(FileSource.builder().root(root).build().describe().scanInterval()).as("native").isNull();
    }

    @Test
    void aClosedSourceDoesNotOpen() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        FileSource files = FileSource.builder().root(root).build();
        files.close();
        assertThatThrownBy(() -> files.open(SourceContext.none())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        StepVerifier.create(files.events()).expectError(IllegalStateException.class).verify(Duration.ofSeconds(10));
    }
}
