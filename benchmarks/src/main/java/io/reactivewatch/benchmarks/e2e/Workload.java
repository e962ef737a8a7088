package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/** The burst workloads W1–W5; W6 (idle) is {@link IdleTree}. */
enum Workload {

    W1("one file modified") {
        @Override
        void prepare(Path root) throws IOException {
            for (int d = 0; d < 10; d++) {
                Path dir = Files.createDirectories(root.resolve("src/d" + d));
                for (int f = 0; f < 10; f++) {
                    write(dir.resolve("f" + f + ".txt"), "initial " + d + "/" + f);
                }
            }
        }

        @Override
        Burst run(Path root) throws IOException {
            Path target = root.resolve("src/d3/f7.txt");
            long t = System.nanoTime();
            Files.writeString(target, "changed\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            return new Burst(t, t, Set.of(target), 1);
        }
    },

    W2("1,000 creates in one directory") {
        @Override
        void prepare(Path root) throws IOException {
            Files.createDirectories(root.resolve("inbox"));
        }

        @Override
        Burst run(Path root) throws IOException {
            Set<Path> truth = new HashSet<>();
            Path dir = root.resolve("inbox");
            long first = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                Path p = dir.resolve(String.format("item-%04d.txt", i));
                write(p, "item " + i);
                truth.add(p);
            }
            return new Burst(first, System.nanoTime(), truth, 1000);
        }
    },

    W3("20,000 files in 200 new nested directories") {
        @Override
        void prepare(Path root) throws IOException {
            write(root.resolve("README.txt"), "tree");
        }

        @Override
        Burst run(Path root) throws IOException {
            Set<Path> truth = new HashSet<>();
            long first = System.nanoTime();
            // 40 chains, 5 levels deep: each directory is created and filled before the next level exists,
            // the way an unpacked archive or a checkout appears.
            for (int chain = 0; chain < 40; chain++) {
                Path dir = root.resolve("pkg" + chain);
                for (int level = 0; level < 5; level++) {
                    Files.createDirectory(dir);
                    for (int f = 0; f < 100; f++) {
                        Path p = dir.resolve("file" + f + ".java");
                        write(p, "class F" + f + " {}");
                        truth.add(p);
                    }
                    dir = dir.resolve("sub" + level);
                }
            }
            return new Burst(first, System.nanoTime(), truth, 40 * 5 * 101);
        }
    },

    W4("trickle: one new file every 10 ms for 5 s") {
        @Override
        void prepare(Path root) throws IOException {
            Files.createDirectories(root.resolve("logs"));
        }

        @Override
        Burst run(Path root) throws IOException {
            Set<Path> truth = new HashSet<>();
            Path dir = root.resolve("logs");
            long first = System.nanoTime();
            long last = first;
            for (int i = 0; i < 500; i++) {
                parkUntil(first + i * 10_000_000L);
                Path p = dir.resolve("entry-" + i + ".log");
                write(p, "entry " + i);
                last = System.nanoTime();
                truth.add(p);
            }
            return new Burst(first, last, truth, 500);
        }
    },

    W5("atomic save (temp + rename) 50 times at 20 ms") {
        @Override
        void prepare(Path root) throws IOException {
            Files.createDirectories(root.resolve("conf"));
            write(root.resolve("conf/settings.json"), "{\"version\":0}");
        }

        @Override
        Burst run(Path root) throws IOException {
            Path target = root.resolve("conf/settings.json");
            Path temp = root.resolve("conf/.settings.json.tmp");
            long first = System.nanoTime();
            long last = first;
            for (int i = 1; i <= 50; i++) {
                parkUntil(first + (i - 1) * 20_000_000L);
                write(temp, "{\"version\":" + i + "}");
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                last = System.nanoTime();
            }
            return new Burst(first, last, Set.of(target), 100);
        }
    };

    /**
     * What a burst did.
     *
     * @param firstWriteNanos {@code System.nanoTime()} before the first write
     * @param lastWriteNanos  {@code System.nanoTime()} after the last write
     * @param truth           the files the burst created or changed
     * @param events          the filesystem operations it made, each one event written: a file created with
     *                        its content, a file modified, a file or directory deleted, a directory created, a
     *                        rename (the denominator of CPU per event)
     */
    record Burst(long firstWriteNanos, long lastWriteNanos, Set<Path> truth, long events) {
    }

    private final String description;

    Workload(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    /** Lays out what exists before the subject starts. */
    abstract void prepare(Path root) throws IOException;

    /** Performs the burst. */
    abstract Burst run(Path root) throws IOException;

    static void write(Path p, String content) throws IOException {
        Files.writeString(p, content + "\n", StandardCharsets.UTF_8);
    }

    static void parkUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
