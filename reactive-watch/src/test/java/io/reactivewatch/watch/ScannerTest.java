package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerTest {

    @TempDir
    Path tmp;

    private Path root;
    private final List<Path> failures = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.toRealPath();
        Files.createDirectories(root.resolve("src/pkg"));
        Files.createDirectories(root.resolve("build/out"));
        Files.createDirectories(root.resolve("node_modules/lib"));
        Files.writeString(root.resolve(".gitignore"), "node_modules/\n");
        Files.writeString(root.resolve("src/pkg/A.java"), "a");
        Files.writeString(root.resolve("build/out/A.class"), "c");
        Files.writeString(root.resolve("node_modules/lib/x.js"), "x");
    }

    private Scanner scanner() {
        PathFilter filter = new PathFilter(List.of(), List.of("build/"), Set.of(), p -> false);
        return new Scanner(root, filter, new GitIgnores(), true, false, (p, e) -> failures.add(p));
    }

    @Test
    void neverRegistersOrWalksAnIgnoredDirectory() {
        List<Path> registered = Collections.synchronizedList(new ArrayList<>());
        Snapshot s = scanner().scan(root, (dir, key) -> registered.add(dir), null);

        assertThat(registered).containsExactlyInAnyOrder(root, root.resolve("src"), root.resolve("src/pkg"));
        assertThat(s.get(root.resolve("src/pkg/A.java"))).isNotNull();
        assertThat(s.get(root.resolve("build"))).isNull();
        assertThat(s.get(root.resolve("node_modules"))).isNull();
        assertThat(s.count()).isEqualTo(4); // .gitignore, src, src/pkg, A.java
        assertThat(failures).isEmpty();
    }

    @Test
    void aParallelWalkFindsTheSameTree() {
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            Snapshot parallel = scanner().scan(root, null, pool);
            Snapshot serial = scanner().scan(root, null, null);
            assertThat(SnapshotDiff.diff(serial, parallel)).isEmpty();
            assertThat(parallel.count()).isEqualTo(serial.count());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aDirectoryWhoseWatchFailsIsStillWalkedButItsChildrenAreNotRegistered() {
        List<Path> registered = new ArrayList<>();
        Snapshot s = scanner().scan(root, (dir, key) -> {
            registered.add(dir);
            return !dir.endsWith("src");
        }, null);
        assertThat(registered).containsExactly(root, root.resolve("src"));
        assertThat(s.get(root.resolve("src/pkg/A.java"))).isNotNull();
    }

    @Test
    void aMissingTopIsAbsent() {
        assertThat(scanner().scan(root.resolve("nope"), null, null).present()).isFalse();
    }

    @Test
    void aSubtreeScanStopsAtALinkToAnAncestorAboveTheSubtreeLikeAFullScan() throws IOException {
        Path inner = Files.createDirectories(root.resolve("src/pkg/inner"));
        Files.createSymbolicLink(inner.resolve("up"), root.resolve("src"));
        Scanner following = new Scanner(root, PathFilter.none(), new GitIgnores(), false, true, (p, e) -> failures.add(p));

        Snapshot full = following.scan(root, null, null);
        Snapshot subtree = following.scan(root.resolve("src/pkg"), null, null);

        assertThat(SnapshotDiff.diff(full.view(root.resolve("src/pkg")), subtree)).isEmpty();
        assertThat(subtree.node(inner.resolve("up"))).isNull();
    }

    @Test
    void aParallelWalkOfATreeAsDeepAsPathsAllowDoesNotOverflowTheStack() throws IOException {
        Path deep = deepTree(root.resolve("deep"));
        // Without .gitignore rules: resolving them costs time proportional to the depth at every level.
        Scanner plain = new Scanner(root, PathFilter.none(), new GitIgnores(), false, false, (p, e) -> failures.add(p));
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            Snapshot parallel = plain.scan(root, null, pool);
            assertThat(parallel.get(deep)).isNotNull();
            Snapshot serial = plain.scan(root, null, null);
            assertThat(SnapshotDiff.diff(serial, parallel)).isEmpty();
            assertThat(SnapshotDiff.diff(Snapshot.absent(root), serial)).hasSize((int) serial.count() + 1);
        } finally {
            pool.shutdown();
            deleteDeepTree(deep);
        }
    }

    /**
     * Nests one-letter directories until the path nears the platform's 4096 bytes (about 2,000 levels) and
     * puts a file at the bottom.
     *
     * @return the file
     */
    static Path deepTree(Path top) throws IOException {
        StringBuilder rel = new StringBuilder("d");
        while (top.toString().length() + rel.length() + 16 < 4000) {
            rel.append("/d");
        }
        Path leafDir = Files.createDirectories(top.resolve(rel.toString()));
        return Files.writeString(leafDir.resolve("f"), "x");
    }

    /** Deletes what {@link #deepTree} made, bottom up: JUnit's own clean-up resolves every level's real path. */
    static void deleteDeepTree(Path file) throws IOException {
        Files.deleteIfExists(file);
        for (Path d = file.getParent(); d.getFileName().toString().equals("d"); d = d.getParent()) {
            Files.delete(d);
        }
    }
}
