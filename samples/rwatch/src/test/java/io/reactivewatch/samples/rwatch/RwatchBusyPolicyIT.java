package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.paths;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code --on-busy}: what happens to changes that arrive while the command runs. The command marks its
 * start and end in a directory outside the watched tree, so the test knows when it is running.
 */
class RwatchBusyPolicyIT {

    /**
     * Marks start-N and end-N; flags an overlap if tick N starts before tick N-1 ended; runs for a second in
     * tick 1 (long enough for the test to write while it runs), or until stopped with {@code slow}.
     */
    private static final String SCRIPT = String.join("\n",
            "m=\"$MARKS\"; n=\"$RWATCH_TICK\"",
            "if [ \"$n\" -gt 1 ] && [ ! -e \"$m/end-$((n - 1))\" ]; then : > \"$m/overlap-$n\"; fi",
            "trap ': > \"$m/end-$n\"; exit 143' TERM",
            ": > \"$m/start-$n\"",
            "if [ \"$n\" = 1 ]; then sleep \"$1\" & wait; fi",
            ": > \"$m/end-$n\"");

    @TempDir
    Path root;
    @TempDir
    Path scratch;
    @TempDir
    Path marks;

    private RwatchProcess start(String policy, String firstTickSeconds) throws Exception {
        return RwatchProcess.start(root, Map.of("MARKS", marks.toString()), List.of("--postpone",
                "--on-busy", policy, "--stop-timeout", "5s", "--events-json", "-", "--", "sh", "-c", SCRIPT, "sh",
                firstTickSeconds));
    }

    private void awaitMark(String name) {
        Await.until(name, RwatchProcess.DEADLINE, () -> Files.exists(marks.resolve(name)));
    }

    /** Writes a.txt once rwatch is ready, waits for tick 1's command to start, then writes {@code names}. */
    private void writeWhileTheFirstCommandRuns(RwatchProcess rw, String... names) {
        rw.awaitType("ready");
        writeAtomically(root.resolve("a.txt"), "a", scratch);
        awaitMark("start-1");
        for (String name : names) {
            writeAtomically(root.resolve(name), name, scratch);
        }
    }

    @Test
    void queueRunsOnceMoreWithEverythingThatArrivedWhileBusy() throws Exception {
        try (RwatchProcess rw = start("queue", "1")) {
            writeWhileTheFirstCommandRuns(rw, "b.txt", "c.txt");
            JsonNode first = rw.awaitTick(1);
            JsonNode second = rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(paths(first)).containsExactly("a.txt");
            assertThat(paths(second)).containsExactly("b.txt", "c.txt");
            assertThat(rw.lines("tick")).hasSize(2);
            assertThat(marks.resolve("overlap-2")).doesNotExist();
        }
    }

    @Test
    void dropDiscardsWhatArrivedWhileBusy() throws Exception {
        try (RwatchProcess rw = start("drop", "1")) {
            writeWhileTheFirstCommandRuns(rw, "b.txt", "c.txt");
            JsonNode first = rw.awaitTick(1);
            writeAtomically(root.resolve("d.txt"), "d", scratch);
            JsonNode second = rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(paths(first)).containsExactly("a.txt");
            assertThat(paths(second)).containsExactly("d.txt");
            assertThat(rw.lines("tick")).hasSize(2);
        }
    }

    @Test
    void restartStopsTheRunningCommandBeforeRerunningWithBothChangeSets() throws Exception {
        try (RwatchProcess rw = start("restart", "60")) {
            writeWhileTheFirstCommandRuns(rw, "b.txt");
            JsonNode first = rw.awaitTick(1);
            JsonNode second = rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(first.get("outcome").asString()).isEqualTo("cancelled");
            assertThat(first.get("exitCode").isNull()).isTrue();
            assertThat(marks.resolve("end-1")).as("the first command saw SIGTERM").exists();
            assertThat(marks.resolve("overlap-2")).as("the rerun started before the first command ended").doesNotExist();
            assertThat(paths(second)).containsExactly("a.txt", "b.txt");
            assertThat(second.get("outcome").asString()).isEqualTo("ok");
        }
    }
}
