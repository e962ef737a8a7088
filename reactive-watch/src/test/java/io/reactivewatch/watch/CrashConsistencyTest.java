package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Crash consistency, from outside: the real file source and daemon in a child JVM with a ledger reconciler
 * (it appends each change set and forces it to disk before returning), killed with SIGKILL at seeded random
 * moments while the tree changes, the tree changed again while it is down, restarted on the same state. Once
 * quiet, the ledger's view (the net effect of every change set it was handed, in order) equals the disk.
 *
 * <p>A failure keeps its directory as evidence: the ledger (each change set after a line naming its tick,
 * triggers and process), {@code mutations.log} (every change the test made, with the starts and kills), and
 * the state each kill left ({@code state-after-kill-K.json} and its journal).
 */
class CrashConsistencyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int KILLS = 40;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void aKilledDaemonRestartedOnItsStateNeverLosesOrInventsAChange() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        Random rnd = new Random(seed);
        Path root = Files.createDirectories(dir.resolve("tree")).toRealPath();
        Path state = dir.resolve("state.json");
        Path ledger = dir.resolve("ledger.txt");
        List<String> moments = new ArrayList<>();
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(dir.resolve("mutations.log")), true)) {
            for (int kill = 0; kill < KILLS; kill++) {
                Process child = startChild(root, state, ledger, false);
                awaitReady(child, ledger);
                log.println("run " + kill + ": pid " + child.pid() + " ready");
                // Mutate while it runs, and kill at a random moment: in a window, a reconcile or a persist.
                int burst = rnd.nextInt(30);
                for (int i = 0; i < burst; i++) {
                    mutate(root, rnd, log);
                }
                long killAfterMicros = rnd.nextInt(150_000);
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(killAfterMicros));
                child.destroyForcibly(); // SIGKILL
                child.waitFor(30, TimeUnit.SECONDS);
                log.println("run " + kill + ": killed");
                keepStateAfterKill(state, kill);
                moments.add(burst + " changes, kill after " + killAfterMicros / 1000 + " ms");
                for (int i = rnd.nextInt(10); i > 0; i--) {
                    mutate(root, rnd, log); // while it is down
                }
            }
            Process last = startChild(root, state, ledger, true);
            log.println("last run: pid " + last.pid());
            assertThat(last.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the last run ends once quiet").isTrue();
            assertThat(last.exitValue()).as(output(last)).isZero();
            assertThat(view(ledger)).as("ledger view vs disk, seed " + seed + " (rerun with -Dcrash.seed=" + seed
                    + "); runs: " + moments).isEqualTo(disk(root));
        } catch (AssertionError | Exception e) {
            System.err.println("CrashConsistencyTest failed with seed " + seed + "; evidence kept in " + dir);
            throw e;
        }
    }

    private void keepStateAfterKill(Path state, int kill) throws IOException {
        for (Path file : List.of(state, state.resolveSibling(state.getFileName() + ".journal"))) {
            if (Files.exists(file)) {
                String name = file.getFileName().toString().replace("state", "state-after-kill-" + kill);
                Files.copy(file, dir.resolve(name));
            }
        }
    }

    private Process startChild(Path root, Path state, Path ledger, boolean untilQuiet) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), root.toString(), state.toString(),
                ledger.toString(), Boolean.toString(untilQuiet))
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(dir.resolve("child.log").toFile())).start();
    }

    private void awaitReady(Process child, Path ledger) {
        Path ready = ledger.resolveSibling("ready-" + child.pid());
        await().atMost(DEADLINE).until(() -> Files.exists(ready) || !child.isAlive());
        assertThat(child.isAlive()).as("child died before ready: " + output(child)).isTrue();
    }

    private String output(Process child) {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** One random change: create, modify, delete, rename a file, or create or delete a directory. */
    private static void mutate(Path root, Random rnd, PrintWriter log) throws IOException {
        List<Path> files;
        List<Path> dirs;
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> paths = all.filter(p -> !p.equals(root)).toList();
            files = paths.stream().filter(Files::isRegularFile).toList();
            dirs = paths.stream().filter(Files::isDirectory).toList();
        }
        int op = rnd.nextInt(6);
        Path parent = dirs.isEmpty() || rnd.nextBoolean() ? root : dirs.get(rnd.nextInt(dirs.size()));
        if (op == 0 || files.isEmpty()) {
            Path file = parent.resolve("f" + rnd.nextInt(40) + ".txt");
            log.println("write " + root.relativize(file));
            Files.writeString(file, "v" + rnd.nextInt());
        } else if (op == 1) {
            Path file = files.get(rnd.nextInt(files.size()));
            log.println("modify " + root.relativize(file));
            Files.writeString(file, "m" + rnd.nextInt());
        } else if (op == 2) {
            Path file = files.get(rnd.nextInt(files.size()));
            log.println("delete " + root.relativize(file));
            Files.deleteIfExists(file);
        } else if (op == 3) {
            Path from = files.get(rnd.nextInt(files.size()));
            Path to = parent.resolve("r" + rnd.nextInt(40) + ".txt");
            log.println("move " + root.relativize(from) + " " + root.relativize(to));
            Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } else if (op == 4 && dirs.size() < 6) {
            Path d = parent.resolve("d" + rnd.nextInt(8));
            log.println("mkdir " + root.relativize(d));
            Files.createDirectories(d);
        } else if (!dirs.isEmpty()) {
            Path d = dirs.get(rnd.nextInt(dirs.size()));
            log.println("delete tree " + root.relativize(d));
            try (Stream<Path> inside = Files.walk(d)) {
                for (Path p : inside.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The net effect of every change set in the ledger, in order: the paths the reconciler believes exist. */
    private static Set<String> view(Path ledger) throws IOException {
        Set<String> view = new TreeSet<>();
        if (!Files.exists(ledger)) {
            return view;
        }
        String text = Files.readString(ledger);
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            int tab = line.indexOf('\t');
            if (tab < 0) {
                continue;
            }
            String kind = line.substring(0, tab);
            String path = line.substring(tab + 1);
            if (kind.equals("deleted")) {
                view.remove(path);
            } else {
                view.add(path);
            }
        }
        return view;
    }

    private static Set<String> disk(Path root) throws IOException {
        Set<String> disk = new TreeSet<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> !p.equals(root)).forEach(p -> disk.add(p.toString()));
        }
        return disk;
    }

    /**
     * The daemon under test. Arguments: root, state file, ledger, and whether to stop once quiet (the last
     * run) instead of running until killed.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path root = Path.of(args[0]).toAbsolutePath().normalize();
            Path ledger = Path.of(args[2]);
            boolean untilQuiet = Boolean.parseBoolean(args[3]);
            dropTornTail(ledger);
            FileChannel out = FileChannel.open(ledger, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.<Void>fromRunnable(() -> {
                        // A line without a tab names the change set; the view skips it.
                        StringBuilder sb = new StringBuilder("tick " + tick.number() + " " + tick.triggers() + " pid "
                                + ProcessHandle.current().pid() + "\n");
                        for (Change c : tick.changes().changes()) {
                            sb.append(c.kind().wireName()).append('\t').append(c.path()).append('\n');
                        }
                        try {
                            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
                            while (b.hasRemaining()) {
                                out.write(b);
                            }
                            out.force(true);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).subscribeOn(Schedulers.boundedElastic()))
                    .source(FileSource.builder().root(root).build())
                    .coalescing(Coalescing.window(Duration.ofMillis(20)))
                    .stateStore(StateStore.file(Path.of(args[1])))
                    .build();
            daemon.start();
            Files.writeString(ledger.resolveSibling("ready-" + ProcessHandle.current().pid()), "");
            if (!untilQuiet) {
                new java.util.concurrent.CountDownLatch(1).await(); // until SIGKILL
            }
            long quietSince = System.nanoTime();
            long lastTicks = -1;
            while (System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(2)) {
                var s = daemon.status();
                long ticks = s.tickCount();
                if (ticks != lastTicks || s.tickInFlight() || s.pendingChanges() > 0) {
                    lastTicks = ticks;
                    quietSince = System.nanoTime();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            daemon.stop().block(Duration.ofSeconds(30));
            out.close();
            System.exit(0);
        }

        /** A record the kill tore in half was never acknowledged: cut it, so the next run appends cleanly. */
        private static void dropTornTail(Path ledger) throws IOException {
            if (!Files.exists(ledger)) {
                return;
            }
            byte[] bytes = Files.readAllBytes(ledger);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end < bytes.length) {
                try (FileChannel ch = FileChannel.open(ledger, StandardOpenOption.WRITE)) {
                    ch.truncate(end);
                    ch.force(true);
                }
            }
        }
    }
}
