package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** W6: 50,000 files in 2,500 directories (50 top-level, 49 subdirectories each, 20 files per directory). */
final class IdleTree {

    static final int DIRECTORIES = 2_500;
    static final int FILES = 50_000;

    private IdleTree() {
    }

    static void create(Path root) throws IOException {
        int files = 0;
        int dirs = 0;
        for (int top = 0; top < 50; top++) {
            Path topDir = Files.createDirectory(root.resolve("module" + top));
            dirs++;
            files += fill(topDir);
            for (int sub = 0; sub < 49; sub++) {
                Path dir = Files.createDirectory(topDir.resolve("pkg" + sub));
                dirs++;
                files += fill(dir);
            }
        }
        if (dirs != DIRECTORIES || files != FILES) {
            throw new IllegalStateException("idle tree has " + dirs + " directories and " + files + " files");
        }
    }

    private static int fill(Path dir) throws IOException {
        for (int f = 0; f < 20; f++) {
            Workload.write(dir.resolve("Source" + f + ".java"), "class Source" + f + " {}");
        }
        return 20;
    }
}
