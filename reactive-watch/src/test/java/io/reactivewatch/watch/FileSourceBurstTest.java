package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bursts against a slow (200 ms) reconciler: everything arrives, ticks stay few, never two at once. The
 * thousand-file burst usually outruns the JDK's 512-event queue of its directory, so it also exercises
 * overflow ({@link NativeWatcherTest} forces it). The twenty-thousand-file burst runs once per backend: native
 * in settle mode, polling in window mode (a polling scan of 20,000 files on a loaded machine can take longer
 * than the quiet period, which would split a settle batch by design).
 */
class FileSourceBurstTest {

    private static final Duration RECONCILE = Duration.ofMillis(200);
    /** Long enough that a loaded machine rarely stalls the watcher thread that long; writer stalls are counted. */
    private static final Duration QUIET = Duration.ofSeconds(1);

    enum Mode { WINDOW, SETTLE }

    @TempDir
    Path tmp;

    private final TickRecorder recorder = new TickRecorder(RECONCILE);
    private final Writer writer = new Writer();
    private ReconcileDaemon<Void> daemon;

    @AfterEach
    void tearDown() {
        if (daemon != null) {
            daemon.close();
        }
        recorder.dispose();
    }

    private Path startWatching(Backend backend, Mode mode) throws IOException {
        Path root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        // A settle batch never closes by count: 20,000 new files raise 20,000 to 40,000 events, and the quiet
        // period alone decides.
        Coalescing coalescing = mode == Mode.WINDOW ? Coalescing.window(Duration.ofMillis(50))
                : Coalescing.settle(QUIET, Duration.ofSeconds(60));
        daemon = Fixture.start(Fixture.daemon(Fixture.source(backend, root).build(), recorder, coalescing), recorder);
        return root;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"NATIVE,WINDOW", "NATIVE,SETTLE", "POLLING,WINDOW", "POLLING,SETTLE"})
    void deliversAThousandFilesCreatedAsFastAsPossibleInOneDirectory(Backend backend, Mode mode) throws IOException {
        Path root = startWatching(backend, mode);
        Set<Path> expected = new LinkedHashSet<>();

        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            expected.add(writer.file(root.resolve("f" + i + ".txt"), "content " + i));
        }

        assertDeliveredWithFewTicks(expected, mode, burstSeenBySource(t0, expected.size()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"NATIVE,SETTLE", "POLLING,WINDOW"})
    void deliversTwentyThousandFilesInTwoHundredNewNestedDirectories(Backend backend, Mode mode) throws IOException {
        Path root = startWatching(backend, mode);
        Set<Path> expected = new LinkedHashSet<>();

        long t0 = System.nanoTime();
        for (int top = 0; top < 10; top++) {
            Path parent = writer.directory(root.resolve("t" + top));
            expected.add(parent);
            fill(parent, expected);
            for (int sub = 0; sub < 19; sub++) {
                Path dir = writer.directory(parent.resolve("s" + sub));
                expected.add(dir);
                fill(dir, expected);
            }
        }
        assertThat(expected).hasSize(20_000 + 200);
        assertDeliveredWithFewTicks(expected, mode, burstSeenBySource(t0, expected.size()));
    }

    /**
     * How long the burst lasted as the source saw it: from the first write until the source tracks every
     * path it wrote. For the native backend that is the writing itself; a polling source sees the tail of a
     * burst only at its next scan, and no daemon can tick for a change before its source has seen it.
     */
    private long burstSeenBySource(long t0, int paths) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (daemon.status().trackedFiles() + daemon.status().trackedDirectories() < paths) {
            assertThat(System.nanoTime()).as("source tracking %d paths", paths).isLessThan(deadline);
            LockSupport.parkNanos(1_000_000); // a condition poll with a deadline, not a fixed delay
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private void fill(Path dir, Set<Path> expected) throws IOException {
        for (int i = 0; i < 100; i++) {
            expected.add(writer.file(dir.resolve("f" + i + ".txt"), "x" + i));
        }
    }

    /**
     * Writes the burst and counts the writer's own pauses of a quiet period or more (a loaded machine can
     * stall this thread): a settle batch closes in such a pause by design, so each one allows a tick more.
     */
    private static final class Writer {
        private long last;
        private int pauses;

        Path file(Path path, String content) throws IOException {
            return wrote(Files.writeString(path, content));
        }

        Path directory(Path path) throws IOException {
            return wrote(Files.createDirectory(path));
        }

        private Path wrote(Path path) {
            long now = System.nanoTime();
            if (last != 0 && now - last >= QUIET.toNanos()) {
                pauses++;
            }
            last = now;
            return path;
        }
    }

    private void assertDeliveredWithFewTicks(Set<Path> expected, Mode mode, long burstMillis) {
        recorder.await("all " + expected.size() + " paths", Duration.ofSeconds(60),
                r -> createdPaths(r).containsAll(expected));
        // A manual tick queues behind anything still pending, so every burst tick is counted below.
        daemon.tickNow().block(Duration.ofSeconds(30));

        List<Tick> burstTicks = recorder.ticks().stream()
                .filter(t -> t.triggers().contains(Trigger.WATCH) || t.triggers().contains(Trigger.POLL)
                        || t.triggers().contains(Trigger.RESCAN))
                .toList();
        System.out.printf("burst of %d paths: %d ms, %d ticks (%s)%n", expected.size(), burstMillis,
                burstTicks.size(), mode);
        long allowed = mode == Mode.SETTLE ? 2 + writer.pauses : burstMillis / RECONCILE.toMillis() + 2;
        assertThat(burstTicks.size())
                .as("ticks for a %d ms burst in %s mode, the writer paused %d times for %d ms or more",
                        burstMillis, mode, writer.pauses, QUIET.toMillis())
                .isLessThanOrEqualTo((int) allowed);
        assertThat(recorder.maxInFlight()).as("reconciles running at once").isEqualTo(1);
        for (Change c : recorder.changes()) {
            assertThat(c.kind()).as("kind of %s", c.path()).isNotEqualTo(ChangeKind.DELETED);
        }
        assertThat(recorder.history().values()).allSatisfy(kinds -> assertThat(kinds.get(0)).isEqualTo(ChangeKind.CREATED));
    }

    private static Set<Path> createdPaths(TickRecorder r) {
        Set<Path> out = new HashSet<>();
        for (Change c : r.changes()) {
            if (c.kind() == ChangeKind.CREATED) {
                out.add(c.path());
            }
        }
        return out;
    }
}
