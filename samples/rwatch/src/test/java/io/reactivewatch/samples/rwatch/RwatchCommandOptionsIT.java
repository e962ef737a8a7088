package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.paths;
import static io.reactivewatch.samples.rwatch.RwatchProcess.triggers;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The options that shape how the command runs, on the real jar: the stop signal, {@code --on-busy signal},
 * {@code --timeout}, {@code --exit-on-error}, {@code --delay-run}, and the command's environment, directory
 * and shell. The commands mark what happens to them in a directory outside the watched tree.
 */
class RwatchCommandOptionsIT {

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

    private List<String> markNames() throws IOException {
        try (Stream<Path> files = Files.list(marks)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void write(String name) {
        writeAtomically(root.resolve(name), name, scratch);
    }

    @Test
    void restartShortFormStopsTheRunWithTheStopSignal() throws Exception {
        // Run 1 waits; whatever signal ends it is marked by name.
        String script = String.join("\n",
                "m=\"$MARKS\"; n=\"$RWATCH_TICK\"",
                "trap ': > \"$m/int-$n\"; exit 130' INT",
                "trap ': > \"$m/term-$n\"; exit 143' TERM",
                ": > \"$m/start-$n\"",
                "if [ \"$n\" = 1 ]; then sleep 30 & wait; fi");
        try (RwatchProcess rw = start(List.of("--postpone", "-r", "--stop-signal", "SIGINT"), script)) {
            rw.awaitType("ready");
            write("a.txt");
            awaitMark("start-1");
            write("b.txt");
            JsonNode first = rw.awaitTick(1);
            JsonNode second = rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(first.get("outcome").asString()).isEqualTo("cancelled");
            assertThat(markNames()).contains("int-1").doesNotContain("term-1");
            assertThat(paths(second)).containsExactly("a.txt", "b.txt");
        }
    }

    @Test
    void onBusySignalSignalsTheRunInsteadOfRestartingItAndTheNextRunGetsTheChanges() throws Exception {
        // Run 1 reloads on SIGUSR1 (marks it) and runs until told to end; later runs end at once.
        String script = String.join("\n",
                "m=\"$MARKS\"; n=\"$RWATCH_TICK\"",
                "trap ': > \"$m/usr1-$n\"' USR1",
                ": > \"$m/start-$n\"",
                "if [ \"$n\" = 1 ]; then while [ ! -e \"$m/end-1\" ]; do sleep 0.05; done; fi",
                "exit 0");
        try (RwatchProcess rw = start(List.of("--postpone", "-s", "USR1"), script)) {
            rw.awaitType("ready");
            write("a.txt");
            awaitMark("start-1");
            write("b.txt");
            awaitMark("usr1-1");
            assertThat(rw.lines("tick")).as("still running after the signal").isEmpty();
            Files.writeString(marks.resolve("end-1"), "");
            JsonNode first = rw.awaitTick(1);
            JsonNode second = rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(first.get("outcome").asString()).isEqualTo("ok");
            assertThat(paths(first)).containsExactly("a.txt");
            assertThat(paths(second)).as("signalled, then delivered to the next run").containsExactly("b.txt");
            assertThat(rw.stderr()).contains("rwatch: tick 1: sent USR1 to the running command");
        }
    }

    @Test
    void aRunOverItsTimeoutIsStoppedAsTimedOutAndItsChangesComeAgain() throws Exception {
        String script = String.join("\n",
                "m=\"$MARKS\"; n=\"$RWATCH_TICK\"",
                "echo $$ > \"$m/pid-$n\"",
                ": > \"$m/start-$n\"",
                "if [ \"$n\" = 1 ]; then sleep 30 & wait; fi");
        try (RwatchProcess rw = start(List.of("--postpone", "--timeout", "500ms", "--stop-timeout", "5s"), script)) {
            rw.awaitType("ready");
            write("a.txt");
            JsonNode first = rw.awaitTick(1);
            long shell = Long.parseLong(Files.readString(marks.resolve("pid-1")).strip());
            boolean shellRunning = Processes.running(shell);
            write("b.txt");
            JsonNode second = rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(first.get("outcome").asString()).isEqualTo("timed-out");
            assertThat(first.get("exitCode").isNull()).isTrue();
            assertThat(shellRunning).as("run 1 once its tick ended").isFalse();
            assertThat(paths(second)).containsExactly("a.txt", "b.txt");
            assertThat(second.get("outcome").asString()).isEqualTo("ok");
            assertThat(rw.stderr()).contains("rwatch: tick 1 [watch] 1 change (+1 ~0 -0), timed-out after ")
                    .contains(" (--timeout) | a.txt");
        }
    }

    @Test
    void exitOnErrorExitsWithTheRunsStatusAndTheNextStartDeliversItsChanges() throws Exception {
        Path state = scratch.resolve("state.json");
        String failsOnce = "if [ -e \"$MARKS/failed\" ]; then exit 0; fi; : > \"$MARKS/failed\"; exit 7";
        List<String> options = List.of("--postpone", "--exit-on-error", "--state", state.toString());
        try (RwatchProcess rw = start(options, failsOnce)) {
            rw.awaitType("ready");
            write("a.txt");
            assertThat(rw.awaitExit()).as("exit status; stderr:\n%s", rw.stderr()).isEqualTo(7);

            List<JsonNode> lines = rw.lines();
            assertThat(lines).extracting(n -> n.get("type").asString()).containsExactly("ready", "tick", "stopped");
            assertThat(lines.get(1).get("exitCode").asInt()).isEqualTo(7);
            assertThat(lines.get(2).get("pendingChanges").asInt()).isEqualTo(1);
            assertThat(rw.stderr()).contains("rwatch: stopping after a run that failed (--exit-on-error); exit status 7");
        }
        try (RwatchProcess again = start(options, failsOnce)) {
            JsonNode tick = again.awaitTick(2);
            again.stopGracefully();
            assertThat(triggers(tick)).contains("startup");
            assertThat(paths(tick)).containsExactly("a.txt");
            assertThat(tick.get("outcome").asString()).isEqualTo("ok");
        }
    }

    @Test
    void aRunStillInItsDelayIsCancelledByARestartOrAStopWithoutStarting() throws Exception {
        try (RwatchProcess rw = start(List.of("--postpone", "--delay-run", "1m", "-r", "-v"),
                ": > \"$MARKS/ran-$RWATCH_TICK\"")) {
            rw.awaitType("ready");
            write("a.txt");
            rw.awaitStderr("rwatch: tick 1: waiting 1m before the run (--delay-run)");
            write("b.txt");
            JsonNode first = rw.awaitTick(1);
            rw.awaitStderr("rwatch: tick 2: waiting 1m before the run (--delay-run)");
            rw.stopGracefully();

            assertThat(first.get("outcome").asString()).isEqualTo("cancelled");
            List<JsonNode> ticks = rw.lines("tick");
            assertThat(ticks).hasSize(2);
            assertThat(ticks.get(1).get("outcome").asString()).isEqualTo("cancelled");
            assertThat(paths(ticks.get(1))).containsExactly("a.txt", "b.txt");
            assertThat(rw.lines("stopped").get(0).get("pendingChanges").asInt()).isEqualTo(2);
            assertThat(markNames()).as("no run started").isEmpty();
        }
    }

    @Test
    void theCommandRunsInItsWorkdirWithItsEnvironmentThroughTheShellAndQuietSaysNothing() throws Exception {
        Path workdir = Files.createDirectory(scratch.resolve("work dir"));
        List<String> args = List.of("--shell", "sh", "--workdir", workdir.toString(), "-E", "GREETING=hello world",
                "-E", "EXTRA=x=y", "-q", "--events-json", "-", "--",
                "printf '%s|%s|%s|%s' \"$GREETING\" \"$EXTRA\" \"$RWATCH_TICK\" \"$(pwd -P)\"", ">", "\"$MARKS/out\"",
                "&&", ": > \"$MARKS/done\"");
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of("MARKS", marks.toString()), args)) {
            awaitMark("done");
            rw.awaitTick(1);
            rw.stopGracefully();

            assertThat(Files.readString(marks.resolve("out"))).isEqualTo("hello world|x=y|1|" + workdir.toRealPath());
            assertThat(rw.stderr()).as("--quiet").isEmpty();
        }
    }
}
