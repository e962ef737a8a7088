package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.Tick;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The "Watching files: FileSource" examples of the README, compiled and run. Each snippet sits between
 * {@code // README:name} and {@code // README:end} markers; README.md carries a block marked
 * {@code <!-- snippet:name -->} for each, and the test fails if the two differ.
 */
class ReadmeExampleTest {

    /** What the README's reconciler keeps up to date. */
    interface SearchIndex {
        void rebuild();

        void apply(Path path, ChangeKind kind);
    }

    // README:embedding
    static ReconcileDaemon<Void> watchSources(Path src, Path stateFile, SearchIndex index) {
        Reconciler<Void> reindex = tick -> Mono.fromRunnable(() -> {
            if (tick.changes().rescan()) {
                index.rebuild();            // events were dropped somewhere: re-derive the truth
            }
            for (Change change : tick.changes().changes()) {
                index.apply(change.path(), change.kind());
            }
        }).subscribeOn(Schedulers.boundedElastic()).then();   // blocking work off the daemon's threads

        FileSource sources = FileSource.builder()             // what to watch: filesystem options only
                .root(src)
                .extensions(List.of("java", "kt"))
                .exclude("generated/")                        // .gitignore rules apply too
                .build();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(reindex)   // how to reconcile: daemon options
                .source(sources)
                .settle(Duration.ofMillis(300), Duration.ofSeconds(5))
                .stateStore(StateStore.file(stateFile))       // changes made while stopped: one startup tick
                .build();
        daemon.ticks().subscribe(r -> System.out.println(
                "tick " + r.tick().number() + " " + r.tick().triggers() + ": " + r.outcome()));
        daemon.start();                     // walks and watches; fails if the root is missing
        return daemon;                      // close() on shutdown: stops, persists, releases the watcher
    }
    // README:end

    // README:sync
    static void regenerate(ReconcileDaemon<Void> daemon, Path src) throws IOException {
        Files.writeString(src.resolve("Generated.java"), "class Generated {}");
        daemon.tickNow().block(Duration.ofSeconds(30));   // syncs first: the index has Generated.java now
    }
    // README:end

    // README:vcs
    static ReconcileDaemon<Void> watchWorkTree(Path repo, Reconciler<Void> rebuild) {
        FileSource sources = FileSource.builder()
                .root(repo)                                   // a git work tree, or a directory inside one
                .vcsLockTimeout(Duration.ofMinutes(5))        // an older index.lock is a crashed git's
                .build();                                     // deferVcs(true) is the default
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(rebuild).source(sources).build();
        daemon.statusUpdates()
                .map(DaemonStatus::holds)
                .distinctUntilChanged()                       // each change of what holds the ticks, once
                .subscribe(holds -> holds.forEach(h -> System.out.println(
                        "ticks wait: " + h.reason() + " since " + h.since())));   // git rebase in progress
        daemon.start();
        return daemon;
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

        try (ReconcileDaemon<Void> daemon = watchSources(src, stateFile, index)) {
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

    /** No waiting in the test: when tickNow() returned, the write must be in the index already. */
    @Test
    void theReadmeSyncExampleFindsTheWriteReconciledAsSoonAsTickNowReturns() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src")).toRealPath();
        Set<Path> applied = ConcurrentHashMap.newKeySet();
        SearchIndex index = new SearchIndex() {
            @Override
            public void rebuild() {
            }

            @Override
            public void apply(Path path, ChangeKind kind) {
                applied.add(path);
            }
        };

        try (ReconcileDaemon<Void> daemon = watchSources(src, tmp.resolve("state.json"), index)) {
            for (int i = 0; i < 20; i++) {
                Path dir = Files.createDirectories(src.resolve("round" + i));

                regenerate(daemon, dir);

                assertThat(applied).contains(dir.resolve("Generated.java"));
            }
        }
    }

    @Test
    void aFileSourceOnItsOwnFeedsSingleFlightThroughCoalescing() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src")).toRealPath();
        Set<Path> reconciled = ConcurrentHashMap.newKeySet();
        List<Tick> ticks = new CopyOnWriteArrayList<>();
        Reconciler<Void> reconciler = tick -> Mono.fromRunnable(() -> {
            ticks.add(tick);
            tick.changes().paths().forEach(reconciled::add);
        });

        // README:composition
        FileSource files = FileSource.builder().root(src).build();   // no daemon: a plain Flux of changes
        Disposable running = files.events()                           // subscribing opens it, cancelling closes it
                .transform(Coalescing.window(Duration.ofMillis(50)).batches(Schedulers.parallel()))
                .map(ChangeSet::of)                                   // one net change set per burst
                .transform(ReconcileDaemon.builder(reconciler).buildSingleFlight())
                .subscribe(r -> System.out.println("tick " + r.tick().number() + ": " + r.outcome()));
        // README:end

        try {
            await("the source open").atMost(Duration.ofSeconds(10)).until(() -> files.watcher() != null);
            Set<Path> burst = new HashSet<>();
            Path staging = Files.createDirectories(tmp.resolve("staging"));
            for (int i = 0; i < 200; i++) {
                // Written outside the root and renamed in: each file appears whole, in one event. (Written in
                // place, a create and its write may fall into two batches and read created, then modified.)
                Path staged = Files.writeString(staging.resolve("f" + i + ".txt"), "x" + i);
                burst.add(Files.move(staged, src.resolve("f" + i + ".txt")));
            }

            await("the burst reconciled").atMost(Duration.ofSeconds(30)).until(() -> reconciled.containsAll(burst));
            assertThat(reconciled).containsExactlyInAnyOrderElementsOf(burst);
            assertThat(ticks).allSatisfy(t -> assertThat(t.changes().changes())
                    .allMatch(c -> c.kind() == ChangeKind.CREATED && c.type() == EntryType.FILE));
            assertThat(ticks.size()).as("ticks for a burst of 200 files").isLessThan(200);
        } finally {
            running.dispose();
        }
        await("the source closed").atMost(Duration.ofSeconds(10)).until(() -> !files.watcher().workerAlive());
    }

    @Test
    void theReadmeWorkTreeWatcherWaitsForAStoppedMergeThenTicksOnce() throws IOException {
        GitRepo git = GitRepo.init(tmp.resolve("repo"));
        git.write("c.txt", "base\n");
        git.commitAll("base");
        git.git("checkout", "-q", "-b", "feature");
        git.write("c.txt", "feature\n");
        git.commitAll("feature");
        git.git("checkout", "-q", "main");
        git.write("c.txt", "main\n");
        git.commitAll("main");
        List<Tick> ticks = new CopyOnWriteArrayList<>();

        try (ReconcileDaemon<Void> daemon = watchWorkTree(git.dir, tick -> Mono.fromRunnable(() -> ticks.add(tick)))) {
            assertThat(git.run("merge", "feature").exitCode()).as("the merge stops on the conflict").isNotZero();
            await("the merge holding a tick back").atMost(Duration.ofSeconds(30)).until(() ->
                    daemon.status().deferredTicks() > 0 && daemon.status().holds().stream()
                            .anyMatch(h -> h.reason().equals("git merge in progress")));
            assertThat(ticks).isEmpty();

            git.git("merge", "--abort");

            await("the tick after the merge").atMost(Duration.ofSeconds(30)).until(() -> !ticks.isEmpty());
            assertThat(ticks.get(0).changes().paths()).containsExactly(git.file("c.txt"));
        }
    }

    @Test
    void theReadmeShowsExactlyTheseSnippets() throws IOException {
        Path readmePath = Path.of("..", "README.md");
        String readme = Files.readString(readmePath);
        String self = Files.readString(Path.of("src/test/java/io/reactivewatch/watch/ReadmeExampleTest.java"));
        Matcher m = Pattern.compile("// README:([a-z-]+)\\n(.*?)// README:end", Pattern.DOTALL).matcher(self);
        List<String> names = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            names.add(name);
            String code = m.group(2).replace("\r", "").stripIndent().strip();
            Matcher block = Pattern.compile("<!-- snippet:" + name + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                    .matcher(readme);
            assertThat(block.find()).as("README.md has a java block marked <!-- snippet:%s -->", name).isTrue();
            assertThat(block.group(1).replace("\r", "").stripIndent().strip()).as("README snippet %s", name)
                    .isEqualTo(code);
        }
        assertThat(names).containsExactly("embedding", "sync", "vcs", "composition");
    }
}
