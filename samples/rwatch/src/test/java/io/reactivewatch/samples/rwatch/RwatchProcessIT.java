package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * How rwatch stops the processes it runs: the command runs in its own process group, and a restart or a
 * shutdown signals the whole group and waits for all of it, grandchildren included. The commands mark what
 * happens to them in a directory outside the watched tree; their times are the marker files' mtimes.
 */
@EnabledOnOs(OS.LINUX)
class RwatchProcessIT {

    /** What the issue allows between the end of one run and the start of the next. */
    private static final Duration RESTART_GAP = Duration.ofMillis(200);
    /** What a shutdown may take beyond the stop timeout: SIGKILL, persisting, the JVM's exit. */
    private static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(2);
    /** What SIGKILL to a group, and seeing it gone, may take beyond the stop timeout on a busy machine. */
    private static final Duration SIGKILL_MARGIN = Duration.ofSeconds(1);

    @TempDir
    Path root;
    @TempDir
    Path scratch;
    @TempDir
    Path marks;

    private RwatchProcess start(List<String> options, String script, String... scriptArgs) throws IOException {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--events-json", "-", "--", "sh", "-c", script, "sh"));
        args.addAll(List.of(scriptArgs));
        return RwatchProcess.start(root, Map.of("MARKS", marks.toString()), args);
    }

    private void awaitMark(String name) {
        Await.until(name, RwatchProcess.DEADLINE, () -> Files.exists(marks.resolve(name)));
    }

    private Instant markTime(String name) throws IOException {
        return Files.getLastModifiedTime(marks.resolve(name)).toInstant();
    }

    private long pid(String name) throws IOException {
        return Long.parseLong(Files.readString(marks.resolve(name)).strip());
    }

    private static boolean running(long pid) {
        return Processes.running(pid);
    }

    /** Writes a.txt once rwatch is ready, waits for run 1 to start, then writes b.txt to restart it. */
    private void restartTheFirstRun(RwatchProcess rw) {
        rw.awaitType("ready");
        writeAtomically(root.resolve("a.txt"), "a", scratch);
        awaitMark("start-1");
        writeAtomically(root.resolve("b.txt"), "b", scratch);
    }

    /**
     * Run n marks its start, leaves a grandchild ({@code sleep}) running in the background, and on SIGTERM
     * marks its exit and exits: the shape of a dev server started from a script.
     */
    private static final String EXITS_ON_TERM = String.join("\n",
            "m=\"$MARKS\"; n=\"$RWATCH_TICK\"",
            "trap ': > \"$m/exit-$n\"; exit 143' TERM",
            "sleep 30 &",
            "echo $! > \"$m/child-$n\"",
            ": > \"$m/start-$n\"",
            "wait");

    @Test
    void aRestartedCommandThatExitsOnSigtermIsFollowedByTheNextRunWithin200ms() throws Exception {
        try (RwatchProcess rw = start(List.of("--postpone", "--on-busy", "restart", "--stop-timeout", "10s"),
                EXITS_ON_TERM)) {
            restartTheFirstRun(rw);
            awaitMark("start-2");
            long grandchild = pid("child-1");
            boolean grandchildRunning = running(grandchild);
            JsonNode first = rw.awaitTick(1);
            rw.stopGracefully();

            Duration gap = Duration.between(markTime("exit-1"), markTime("start-2"));
            System.out.println("restart gap (run 1 exit -> run 2 start): " + gap.toMillis() + " ms");
            assertThat(first.get("outcome").asString()).isEqualTo("cancelled");
            assertThat(grandchildRunning).as("run 1's background sleep, when run 2 started").isFalse();
            assertThat(gap).as("from run 1's exit to run 2's start").isLessThanOrEqualTo(RESTART_GAP);
        }
    }

    /**
     * Run n leaves a grandchild that ignores SIGTERM; the shell itself marks the SIGTERM and exits. Only
     * SIGKILL to the group, once the stop timeout is over, ends the grandchild.
     */
    private static final String GRANDCHILD_IGNORES_TERM = String.join("\n",
            "m=\"$MARKS\"; n=\"$RWATCH_TICK\"",
            "trap ': > \"$m/term-$n\"; exit 143' TERM",
            "echo $$ > \"$m/pid-$n\"",
            "sh -c \"$1\" &",
            "echo $! > \"$m/child-$n\"",
            ": > \"$m/start-$n\"",
            "wait");

    @Test
    void aRestartKillsTheWholeGroupOnceTheStopTimeoutIsOverAndOnlyThenRunsAgain() throws Exception {
        Duration stopTimeout = Duration.ofSeconds(2);
        try (RwatchProcess rw = start(List.of("--postpone", "--on-busy", "restart", "--stop-timeout", "2s"),
                GRANDCHILD_IGNORES_TERM, "trap '' TERM; exec sleep 60")) {
            restartTheFirstRun(rw);
            awaitMark("start-2");
            boolean shellRunning = running(pid("pid-1"));
            boolean grandchildRunning = running(pid("child-1"));
            JsonNode first = rw.awaitTick(1);
            rw.stopGracefully();

            // The tick ends once the cancellation returned, and it returns once the whole group is gone.
            Duration gone = Duration.between(markTime("term-1"), Instant.parse(first.get("finishedAt").asString()));
            Duration next = Duration.between(markTime("term-1"), markTime("start-2"));
            System.out.println("after SIGTERM (--stop-timeout 2s): group gone in " + gone.toMillis()
                    + " ms, next run started in " + next.toMillis() + " ms");
            assertThat(first.get("outcome").asString()).isEqualTo("cancelled");
            assertThat(shellRunning).as("run 1's shell, when run 2 started").isFalse();
            assertThat(grandchildRunning).as("run 1's grandchild, which ignores SIGTERM, when run 2 started").isFalse();
            assertThat(gone).as("from SIGTERM until the group is gone: the stop timeout, then SIGKILL")
                    .isLessThan(stopTimeout.plus(SIGKILL_MARGIN));
        }
    }

    @Test
    void shutdownGivesACommandIgnoringSigtermTheStopTimeoutOnceThenKillsItsGroup() throws Exception {
        Duration stopTimeout = Duration.ofSeconds(3);
        String ignoresTerm = String.join("\n",
                "trap '' TERM",
                "echo $$ > \"$MARKS/pid\"",
                "sleep 60 &",
                "echo $! > \"$MARKS/child\"",
                ": > \"$MARKS/start\"",
                "wait");
        try (RwatchProcess rw = start(List.of("--stop-timeout", "3s"), ignoresTerm)) {
            awaitMark("start");
            long shell = pid("pid");
            long grandchild = pid("child");

            long before = System.nanoTime();
            rw.terminate();
            int status = rw.awaitExit();
            Duration took = Duration.ofNanos(System.nanoTime() - before);

            System.out.println("shutdown with a command ignoring SIGTERM (--stop-timeout 3s): " + took.toMillis() + " ms");
            assertThat(status).as("exit status; stderr:\n%s", rw.stderr()).isZero();
            List<JsonNode> lines = rw.lines();
            assertThat(lines.get(lines.size() - 1).get("type").asString()).isEqualTo("stopped");
            assertThat(rw.lines("tick")).singleElement()
                    .satisfies(t -> assertThat(t.get("outcome").asString()).isEqualTo("cancelled"));
            assertThat(running(shell)).as("the command").isFalse();
            assertThat(running(grandchild)).as("its grandchild").isFalse();
            // Twice the stop timeout was the old behaviour: wait, then signal and wait again.
            assertThat(took).as("shutdown").isLessThan(stopTimeout.plus(SHUTDOWN_MARGIN));
        }
    }
}
