package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.Reconciler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The "Embedding WatchDaemon" example of the README, compiled and run. The snippet sits between
 * {@code // README:name} markers; once README.md carries a block marked {@code <!-- snippet:name -->}, the
 * test fails if the two differ.
 */
class ReadmeExampleTest {

    /** What the README's reconciler keeps up to date. */
    interface SearchIndex {
        void rebuild();

        void apply(Path path, ChangeKind kind);
    }

    // README:embedding
    static WatchDaemon<Void> watchSources(Path src, Path stateFile, SearchIndex index) {
        Reconciler<Void> reindex = tick -> Mono.fromRunnable(() -> {
            if (tick.changes().rescan()) {
                index.rebuild();            // events were dropped somewhere: re-derive the truth
            }
            for (Change change : tick.changes().changes()) {
                index.apply(change.path(), change.kind());
            }
        }).subscribeOn(Schedulers.boundedElastic()).then();   // blocking work off the watcher's thread

        WatchDaemon<Void> daemon = WatchDaemon.builder(reindex)
                .root(src)
                .extensions(List.of("java", "kt"))
                .exclude("generated/")                        // .gitignore rules apply too
                .settle(Duration.ofMillis(300), Duration.ofSeconds(5))
                .stateFile(stateFile)                         // changes made while stopped: one startup tick
                .build();
        daemon.ticks().subscribe(r -> System.out.println(
                "tick " + r.tick().number() + " " + r.tick().triggers() + ": " + r.outcome()));
        daemon.start();                     // walks and watches; fails if the root is missing
        return daemon;                      // close() on shutdown: stops, persists, releases the watcher
    }
    // README:end

    @TempDir
    Path tmp;

    @Test
    void theReadmeExampleWatchesReconcilesAndPersists() throws IOException {
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

        try (WatchDaemon<Void> daemon = watchSources(src, stateFile, index)) {
            Files.writeString(src.resolve("notes.md"), "not a source file");
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
            assertThat(daemon.status().backend()).isEqualTo("native");
        }
        assertThat(stateFile).exists();
    }

    @Test
    void theReadmeShowsExactlyThisSnippet() throws IOException {
        Path readmePath = Path.of("..", "README.md");
        String readme = Files.exists(readmePath) ? Files.readString(readmePath) : "";
        String self = Files.readString(Path.of("src/test/java/io/reactivewatch/watch/ReadmeExampleTest.java"));
        Matcher m = Pattern.compile("// README:([a-z-]+)\\n(.*?)// README:end", Pattern.DOTALL).matcher(self);
        assertThat(m.find()).isTrue();
        String name = m.group(1);
        String code = m.group(2).replace("\r", "").stripIndent().strip();
        Matcher block = Pattern.compile("<!-- snippet:" + name + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assumeTrue(block.find(), "README.md has no <!-- snippet:" + name + " --> block yet: the section is proposed in"
                + " the fs branch report and added when the branch is merged");
        assertThat(block.group(1).replace("\r", "").stripIndent().strip()).as("README snippet %s", name)
                .isEqualTo(code);
    }
}
