package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * W7: a large tree that appears, changes and goes, in three bursts watched by one subject: 200,000 files in
 * 2,000 new directories (40 top-level directories with 49 subdirectories each, 100 files per directory), each
 * directory created and then filled; then every tenth file modified (20,000); then every file deleted and the
 * directories after them, deepest first.
 */
final class LargeTree {

    static final int TOPS = 40;
    static final int SUBDIRS = 49;
    static final int FILES_PER_DIRECTORY = 100;
    static final int DIRECTORIES = TOPS * (SUBDIRS + 1);
    static final int FILES = DIRECTORIES * FILES_PER_DIRECTORY;
    /** Every this many files, one is modified in the second phase. */
    static final int MODIFY_EVERY = 10;
    /** The top-level directories of W7's warm-up: the same three phases over one fortieth of the tree. */
    static final int WARM_UP_TOPS = 1;

    /** The phases, in the order they run. */
    enum Phase {
        CREATE("create"), MODIFY("modify"), DELETE("delete");

        private final String key;

        Phase(String key) {
            this.key = key;
        }

        /** The prefix of this phase's figures in the raw results ({@code create.}...). */
        String key() {
            return key;
        }
    }

    private LargeTree() {
    }

    /** The directories under the first {@code tops} top-level ones, parents before their subdirectories. */
    static List<Path> directories(Path root, int tops) {
        List<Path> dirs = new ArrayList<>(tops * (SUBDIRS + 1));
        for (int top = 0; top < tops; top++) {
            Path topDir = root.resolve("module" + top);
            dirs.add(topDir);
            for (int sub = 0; sub < SUBDIRS; sub++) {
                dirs.add(topDir.resolve("pkg" + sub));
            }
        }
        return dirs;
    }

    /**
     * Runs one phase over the first {@code tops} top-level directories: {@link #TOPS} for the measured tree,
     * {@link #WARM_UP_TOPS} for the warm-up.
     */
    static Workload.Burst run(Phase phase, Path root, int tops) throws IOException {
        List<Path> dirs = directories(root, tops);
        return switch (phase) {
            case CREATE -> create(dirs);
            case MODIFY -> modify(dirs);
            case DELETE -> delete(dirs);
        };
    }

    private static Workload.Burst create(List<Path> dirs) throws IOException {
        Set<Path> truth = new HashSet<>(dirs.size() * FILES_PER_DIRECTORY * 2);
        long first = System.nanoTime();
        for (Path dir : dirs) {
            Files.createDirectory(dir);
            for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
                Path p = dir.resolve("Source" + f + ".java");
                Workload.write(p, "class Source" + f + " {}");
                truth.add(p);
            }
        }
        return new Workload.Burst(first, System.nanoTime(), truth, dirs.size() + (long) truth.size());
    }

    private static Workload.Burst modify(List<Path> dirs) throws IOException {
        Set<Path> truth = new HashSet<>(dirs.size() * FILES_PER_DIRECTORY / MODIFY_EVERY * 2);
        long first = System.nanoTime();
        int i = 0;
        for (Path dir : dirs) {
            for (int f = 0; f < FILES_PER_DIRECTORY; f++, i++) {
                if (i % MODIFY_EVERY == 0) {
                    Path p = dir.resolve("Source" + f + ".java");
                    Files.writeString(p, "// changed\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                    truth.add(p);
                }
            }
        }
        return new Workload.Burst(first, System.nanoTime(), truth, truth.size());
    }

    private static Workload.Burst delete(List<Path> dirs) throws IOException {
        Set<Path> truth = new HashSet<>(dirs.size() * FILES_PER_DIRECTORY * 2);
        long first = System.nanoTime();
        // Walking the list backwards empties every subdirectory before its top-level directory.
        for (int d = dirs.size() - 1; d >= 0; d--) {
            Path dir = dirs.get(d);
            for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
                Path p = dir.resolve("Source" + f + ".java");
                Files.delete(p);
                truth.add(p);
            }
            Files.delete(dir);
        }
        return new Workload.Burst(first, System.nanoTime(), truth, dirs.size() + (long) truth.size());
    }
}
