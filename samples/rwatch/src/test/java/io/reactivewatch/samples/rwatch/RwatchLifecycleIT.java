package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.paths;
import static io.reactivewatch.samples.rwatch.RwatchProcess.triggers;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Start, stop and restart of the jar: signals, persisted state, a corrupt state file. */
class RwatchLifecycleIT {

    @TempDir
    Path root;
    @TempDir
    Path scratch;
    @TempDir
    Path marks;

    private Path state() {
        return scratch.resolve("state").resolve("rwatch-state.json");
    }

    private static Map<String, String> kinds(JsonNode tick) {
        Map<String, String> kinds = new java.util.TreeMap<>();
        tick.get("changes").forEach(c -> kinds.put(c.get("path").asString(), c.get("kind").asString()));
        return kinds;
    }

    /** Runs {@code script} at start (it creates {@code $MARKS/start}) and returns once it has started. */
    private RwatchProcess startCommandThatMarksItsStart(String stopTimeout, String script) throws Exception {
        RwatchProcess rw = RwatchProcess.start(root, Map.of("MARKS", marks.toString()),
                List.of("--stop-timeout", stopTimeout, "--events-json", "-", "--", "sh", "-c", script));
        try {
            Await.until("the command to start", RwatchProcess.DEADLINE, () -> Files.exists(marks.resolve("start")));
            return rw;
        } catch (RuntimeException | Error e) {
            rw.close();
            throw e;
        }
    }

    @Test
    void changesMadeWhileStoppedAreTheStartupTickOfTheNextRun() throws Exception {
        Files.writeString(root.resolve("keep.txt"), "keep");
        Files.writeString(root.resolve("mod.txt"), "before");
        Files.writeString(root.resolve("del.txt"), "delete me");
        List<String> args = List.of("--postpone", "--state", state().toString(), "--events-json", "-");
        try (RwatchProcess first = RwatchProcess.start(root, Map.of(), args)) {
            assertThat(first.awaitType("ready").get("trackedFiles").asLong()).isEqualTo(3);
            first.stopGracefully();
        }
        assertThat(state()).exists();

        Files.writeString(root.resolve("mod.txt"), "after, and longer");
        Files.delete(root.resolve("del.txt"));
        Files.writeString(root.resolve("new.txt"), "new");

        try (RwatchProcess second = RwatchProcess.start(root, Map.of(), args)) {
            JsonNode tick = second.awaitTick(1);
            second.stopGracefully();
            assertThat(triggers(tick)).containsExactly("startup");
            assertThat(kinds(tick)).containsExactlyInAnyOrderEntriesOf(
                    Map.of("mod.txt", "modified", "del.txt", "deleted", "new.txt", "created"));
            assertThat(second.lines().get(0).get("type").asString()).isEqualTo("ready");
        }
    }

    @Test
    void sigtermMidTickSendsTheCommandSigtermAndLetsItFinishWithinTheStopTimeout() throws Exception {
        // A command that finishes its work when told to stop: it gets the stop timeout for that.
        String script = "trap 'sleep 1; : > \"$MARKS/end\"; exit 0' TERM; : > \"$MARKS/start\"; sleep 60 & wait";
        try (RwatchProcess rw = startCommandThatMarksItsStart("20s", script)) {
            rw.stopGracefully();

            assertThat(marks.resolve("end")).as("the command saw SIGTERM and finished").exists();
            List<JsonNode> ticks = rw.lines("tick");
            assertThat(ticks).hasSize(1);
            // Stopped before it ended on its own: whether it saw its changes through is not known, so they stay.
            assertThat(ticks.get(0).get("outcome").asString()).isEqualTo("cancelled");
            assertThat(ticks.get(0).get("exitCode").isNull()).isTrue();
            assertThat(rw.lines("stopped").get(0).get("pendingChanges").asInt()).isZero();
        }
    }

    @Test
    void sigtermCancelsACommandThatOutlivesTheStopTimeoutAndItsChangesArePersisted() throws Exception {
        // Only the first run's command outlives the stop timeout.
        String script = "if [ ! -e \"$MARKS/start\" ]; then : > \"$MARKS/start\"; sleep 60; fi";
        List<String> args = List.of("--postpone", "--stop-timeout", "300ms", "--state", state().toString(),
                "--events-json", "-", "--", "sh", "-c", script);
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of("MARKS", marks.toString()), args)) {
            rw.awaitType("ready");
            writeAtomically(root.resolve("a.txt"), "a", scratch);
            Await.until("the command to start", RwatchProcess.DEADLINE, () -> Files.exists(marks.resolve("start")));
            rw.stopGracefully();

            JsonNode tick = rw.awaitTick(1);
            assertThat(tick.get("outcome").asString()).isEqualTo("cancelled");
            assertThat(rw.lines("stopped").get(0).get("pendingChanges").asInt()).isEqualTo(1);
        }
        try (RwatchProcess again = RwatchProcess.start(root, Map.of("MARKS", marks.toString()), args)) {
            JsonNode tick = again.awaitTick(2); // tick numbers continue across restarts with --state
            again.stopGracefully();
            assertThat(triggers(tick)).contains("startup");
            assertThat(paths(tick)).containsExactly("a.txt");
            assertThat(tick.get("outcome").asString()).isEqualTo("ok");
        }
    }

    @Test
    void sigintStopsGracefullyAndExitsZero() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--events-json", "-")) {
            rw.awaitType("ready");
            rw.interrupt();
            assertThat(rw.awaitExit()).isZero();
            assertThat(rw.lines()).extracting(n -> n.get("type").asString()).containsExactly("ready", "stopped");
        }
    }

    @Test
    void aSecondSigintForcesTheExitWithoutWaitingForTheCommand() throws Exception {
        String script = "trap '' TERM INT; : > \"$MARKS/start\"; while :; do sleep 0.1; done";
        try (RwatchProcess rw = startCommandThatMarksItsStart("1m", script)) {
            rw.interrupt();
            rw.awaitStderr("rwatch: stopping");
            rw.interrupt();

            assertThat(rw.awaitExit()).isEqualTo(130);
            assertThat(rw.lines("error")).anyMatch(n -> n.get("message").asString().contains("second interrupt"));
            assertThat(rw.lines("stopped")).isEmpty();
        }
    }

    @Test
    void anUnusableStateFileOfOursIsSetAsideWithAWarningAndTheRescanListsWhatExists() throws Exception {
        Files.createDirectories(state().getParent());
        String truncated = "{\"format\":\"reactive-watch-state\",\"schemaVersion\":2,\"pendingChanges\":[{\"pa";
        Files.writeString(state(), truncated);
        Files.writeString(root.resolve("x.txt"), "x");
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--state", state().toString(),
                "--events-json", "-")) {
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();

            assertThat(rw.lines().get(0).get("type").asString()).isEqualTo("ready");
            assertThat(rw.lines("error")).anyMatch(n -> n.get("message").asString().contains("unusable"));
            assertThat(triggers(tick)).contains("startup", "rescan");
            assertThat(tick.get("rescan").asBoolean()).isTrue();
            // What changed while down cannot be known: what exists arrives as created (it was an empty tick).
            assertThat(tick.get("changes").toString()).contains("\"path\":\"x.txt\"").contains("\"kind\":\"created\"");
            List<String> warnings = rw.stderr().lines().filter(l -> l.contains("unusable")).toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0)).startsWith("rwatch: ");
            List<Path> setAside = new ArrayList<>();
            try (Stream<Path> files = Files.list(state().getParent())) {
                files.filter(p -> p.getFileName().toString().startsWith("rwatch-state.json.corrupt-")).forEach(setAside::add);
            }
            assertThat(setAside).hasSize(1);
            assertThat(Files.readString(setAside.get(0))).isEqualTo(truncated);
        }
    }
}
