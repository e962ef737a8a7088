package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.Disposable;

/**
 * The journal's source part: a full section with the increments taken after it replays to exactly the
 * tree the source holds, whatever happened in between.
 */
class IncrementalCheckpointTest {

    private static final Path TOP = Path.of("/w");

    @TempDir
    Path tmp;

    /**
     * A random tree as the truth: relative path to stat, directories included; a directory may be marked
     * unreadable, and then lists nothing.
     */
    private static final class Model {
        final TreeMap<String, Stat> entries = new TreeMap<>();
        final Set<String> unreadable = new HashSet<>();
        final Random random;
        long clock = 1_000;

        Model(Random random) {
            this.random = random;
        }

        List<String> dirs() {
            List<String> out = new ArrayList<>();
            out.add("");
            entries.forEach((k, v) -> {
                if (v.isDir() && !unreadable.contains(k)) {
                    out.add(k);
                }
            });
            return out;
        }

        String child(String dir) {
            String name = "n" + random.nextInt(12);
            return dir.isEmpty() ? name : dir + "/" + name;
        }

        void removeUnder(String path) {
            entries.keySet().removeIf(k -> k.equals(path) || k.startsWith(path + "/"));
            unreadable.removeIf(k -> k.equals(path) || k.startsWith(path + "/"));
        }

        Stat fileStat() {
            return new Stat(Stat.FILE, random.nextInt(100), ++clock, random.nextInt(1_000) + 1, random.nextInt(3));
        }

        /** One random change; returns the top of the smallest subtree that holds it. */
        String mutate() {
            List<String> dirs = dirs();
            String dir = dirs.get(random.nextInt(dirs.size()));
            String path = child(dir);
            int op = random.nextInt(10);
            if (op < 4) {
                removeUnder(path);
                entries.put(path, fileStat());
                return path;
            } else if (op < 6) {
                removeUnder(path);
                entries.put(path, new Stat(Stat.DIR, 0, ++clock, random.nextInt(1_000) + 1, 0));
                for (int i = random.nextInt(4); i > 0; i--) {
                    entries.put(child(path), fileStat());
                }
                return path;
            } else if (op < 8) {
                removeUnder(path);
                return path;
            } else if (op < 9 && !dir.isEmpty()) {
                // A directory that can no longer be listed (or can again).
                if (!unreadable.remove(dir)) {
                    removeUnder(dir);
                    entries.put(dir, new Stat(Stat.DIR, 0, ++clock, 7, 0));
                    unreadable.add(dir);
                }
                return dir;
            } else {
                entries.put(dir.isEmpty() ? "" : dir, entries.containsKey(dir)
                        ? entries.get(dir) : new Stat(Stat.DIR, 0, 1, 1, 0));
                return dir; // a rescan of a directory where nothing changed
            }
        }

        /** The subtree at {@code rel} as a scan would return it. */
        Snapshot scan(String rel) {
            Path top = rel.isEmpty() ? TOP : TOP.resolve(rel);
            Stat topStat = rel.isEmpty() ? new Stat(Stat.DIR, 0, 1, 1, 0) : entries.get(rel);
            if (topStat == null) {
                return Snapshot.absent(top);
            }
            Snapshot s = new Snapshot(top, topStat);
            if (topStat.isDir() && unreadable.contains(rel)) {
                s.putNode(top, DirNode.unreadable());
                return s;
            }
            if (topStat.isDir()) {
                s.putNode(top, new DirNode());
            }
            String prefix = rel.isEmpty() ? "" : rel + "/";
            for (Map.Entry<String, Stat> e : entries.entrySet()) {
                String k = e.getKey();
                if (!k.startsWith(prefix) || k.equals(rel) || underUnreadable(k, rel)) {
                    continue;
                }
                Path p = TOP.resolve(k);
                s.put(p, e.getValue());
                if (e.getValue().isDir() && unreadable.contains(k)) {
                    s.putNode(p, DirNode.unreadable());
                }
            }
            return s;
        }

        private boolean underUnreadable(String k, String top) {
            for (String u : unreadable) {
                if (!u.equals(top) && k.startsWith(u + "/")) {
                    return true;
                }
            }
            return false;
        }
    }

    /** What TreeWatcher.apply does to the tracked tree, and what it records for the next increment. */
    private static void apply(Snapshot tree, Snapshot fresh, Set<Path> changed) {
        Snapshot.Subtree old = tree.view(fresh.top());
        tree.replace(fresh);
        SnapshotDiff.changedEntries(old, tree.view(fresh.top()), changed);
    }

    @Test
    void aSectionAndItsIncrementsReplayToTheTreeTheSourceHolds() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            Model model = new Model(random);
            for (int i = 0; i < 10; i++) {
                model.mutate();
            }
            Snapshot tree = model.scan("");
            String base = SnapshotCodec.encode(List.of(tree));
            List<String> increments = new ArrayList<>();
            Set<Path> changed = new HashSet<>();
            for (int step = 0; step < 40; step++) {
                String at = model.mutate();
                // The watcher rescans the changed path, or sometimes a directory above it.
                while (!at.isEmpty() && random.nextInt(4) == 0) {
                    int slash = at.lastIndexOf('/');
                    at = slash < 0 ? "" : at.substring(0, slash);
                }
                if (!at.isEmpty() && tree.node(TOP.resolve(at).getParent()) == null) {
                    continue; // as the watcher does: a path whose parent is not tracked is not applied
                }
                apply(tree, model.scan(at), changed);
                if (random.nextInt(3) == 0) {
                    Map<TreeView, Set<Path>> byTree = new LinkedHashMap<>();
                    byTree.put(tree, changed);
                    increments.add(SnapshotCodec.encodeChanges(byTree));
                    changed.clear();
                }
            }
            Map<TreeView, Set<Path>> byTree = new LinkedHashMap<>();
            byTree.put(tree, changed);
            increments.add(SnapshotCodec.encodeChanges(byTree));

            Snapshot replayed = SnapshotCodec.decode(base, increments.stream().filter(s -> !s.isEmpty()).toList()).get(TOP);
            assertThat(SnapshotCodec.encode(List.of(replayed))).as("seed %d", seed)
                    .isEqualTo(SnapshotCodec.encode(List.of(tree)));
        }
    }

    @Test
    void nothingChangedIsAnEmptyIncrement() {
        Snapshot tree = new Model(new Random(1)).scan("");
        Map<TreeView, Set<Path>> byTree = new LinkedHashMap<>();
        byTree.put(tree, new HashSet<>());
        assertThat(SnapshotCodec.encodeChanges(byTree)).isEmpty();
    }

    @Test
    void anIncrementHoldsOnlyTheEntriesThatChanged() {
        Model model = new Model(new Random(3));
        for (int i = 0; i < 2_000; i++) {
            model.entries.put("d" + (i % 20) + "/f" + i, model.fileStat());
        }
        for (int d = 0; d < 20; d++) {
            model.entries.put("d" + d, new Stat(Stat.DIR, 0, 1, d + 1, 0));
        }
        Snapshot tree = model.scan("");
        Set<Path> changed = new HashSet<>();
        model.entries.put("d3/f3", model.fileStat());
        apply(tree, model.scan("d3/f3"), changed);
        Map<TreeView, Set<Path>> byTree = new LinkedHashMap<>();
        byTree.put(tree, changed);
        String increment = SnapshotCodec.encodeChanges(byTree);
        assertThat(changed).containsExactly(TOP.resolve("d3/f3"));
        assertThat(increment.length()).as("one entry, not its directory or the tree").isLessThan(200);
    }

    /**
     * Issue 13: with no state store nobody takes a checkpoint, and the changed entries kept for the next
     * increment grew with every path that ever changed (20,000 paths held on a 200,000-file tree).
     */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void beforeTheFirstCheckpointNothingIsRecordedForIncrements(Backend backend) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        FileSource source = Fixture.source(backend, root).build();
        source.open(SourceContext.none());
        List<SourceEvent> events = new CopyOnWriteArrayList<>();
        Disposable sub = source.events().subscribe(events::add);
        try {
            for (int i = 0; i < 50; i++) {
                Files.writeString(root.resolve("f" + i + ".txt"), "x");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 50);
            assertThat(source.watcher().recordedForIncrement()).isZero();
            assertThat(source.checkpointChanges()).as("cannot tell without a full section").isNull();

            String base = source.checkpoint();
            Files.writeString(root.resolve("after.txt"), "a");
            await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 51);
            // the new file, and (polling) the root's own entry, whose modification time moved
            assertThat(source.watcher().recordedForIncrement()).isBetween(1, 2);
            Map<Path, Snapshot> replayed = SnapshotCodec.decode(base, List.of(source.checkpointChanges()));
            assertThat(replayed.get(root).get(root.resolve("after.txt"))).isNotNull();
        } finally {
            sub.dispose();
            source.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRealSourcesIncrementsReplayToItsFullCheckpoint(Backend backend) throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root")).toRealPath();
        Files.writeString(Files.createDirectories(root.resolve("keep")).resolve("k.txt"), "k");
        Files.writeString(root.resolve("gone.txt"), "g");
        FileSource source = Fixture.source(backend, root).build();
        source.open(SourceContext.none());
        List<SourceEvent> events = new CopyOnWriteArrayList<>();
        Disposable sub = source.events().subscribe(events::add);
        try {
            String base = source.checkpoint();
            List<String> increments = new ArrayList<>();
            Files.writeString(root.resolve("a.txt"), "a");
            await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 1);
            increments.add(source.checkpointChanges());
            Files.delete(root.resolve("gone.txt"));
            Path sub1 = Files.createDirectories(root.resolve("new/deeper"));
            Files.writeString(sub1.resolve("n.txt"), "n");
            Files.writeString(root.resolve("keep/k.txt"), "changed, and longer");
            await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 5);
            increments.add(source.checkpointChanges());
            increments.add(source.checkpointChanges());

            assertThat(increments.get(2)).as("nothing since the last call").isEmpty();
            Map<Path, Snapshot> replayed = SnapshotCodec.decode(base, increments.stream().filter(s -> !s.isEmpty()).toList());
            Map<Path, Snapshot> full = SnapshotCodec.decode(source.checkpoint());
            assertThat(SnapshotCodec.encode(List.copyOf(replayed.values())))
                    .isEqualTo(SnapshotCodec.encode(List.copyOf(full.values())));
            assertThat(replayed.get(root).get(root.resolve("new/deeper/n.txt"))).isNotNull();
            assertThat(replayed.get(root).get(root.resolve("gone.txt"))).isNull();
        } finally {
            sub.dispose();
            source.close();
        }
    }
}
