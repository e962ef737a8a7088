package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.Reconciler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The "Embedding WatchDaemon" example of the README, compiled and run. Keep the block between the markers
 * identical to the README; the README declares {@code src} and {@code stateFile} as {@code Path.of("src")} and
 * {@code Path.of(".rwatch/state.json")}, and where this test checks the result, it waits for shutdown.
 */
class ReadmeExampleTest {

    /** What the README's reconciler keeps up to date. */
    interface SearchIndex {
        void rebuild();

        void apply(Path path, ChangeKind kind);
    }

    @TempDir
    Path tmp;

    @Test
    void theReadmeExampleWatchesReconcilesAndStops() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src")).toRealPath();
        Path stateFile = tmp.resolve(".rwatch/state.json");
        List<Path> applied = new ArrayList<>();
        SearchIndex index = new SearchIndex() {
            @Override
            public void rebuild() {
            }

            @Override
            public synchronized void apply(Path path, ChangeKind kind) {
                applied.add(path);
                notifyAll();
            }
        };
        Path file = src.resolve("Main.java");

        // --- README begins ---
        Reconciler<Void> reindex = tick -> Mono.fromRunnable(() -> {
            if (tick.changes().rescan()) {
                index.rebuild();            // the platform dropped events: re-derive the truth
            }
            for (Change change : tick.changes().changes()) {
                index.apply(change.path(), change.kind());
            }
        }).subscribeOn(Schedulers.boundedElastic()).then();

        try (WatchDaemon<Void> daemon = WatchDaemon.builder(reindex)
                .root(src)
                .extensions(List.of("java", "kt"))
                .exclude("generated/")
                .settle(Duration.ofMillis(300), Duration.ofSeconds(5))
                .stateFile(stateFile)
                .build()) {
            daemon.ticks().subscribe(r -> System.out.println(
                    "tick " + r.tick().number() + " " + r.tick().triggers() + ": " + r.outcome()));
            daemon.start();                 // walks and watches; fails if a root is missing
            // --- README ends ---

            Files.writeString(file, "class Main {}");
            synchronized (index) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!applied.contains(file) && System.nanoTime() < deadline) {
                    try {
                        index.wait(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                assertThat(applied).containsExactly(file);
            }
        }
        assertThat(stateFile).exists();
    }
}
