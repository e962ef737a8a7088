package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.paths;
import static io.reactivewatch.samples.rwatch.RwatchProcess.triggers;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The jar watching real directories: what a tick holds, and how bursts coalesce. */
class RwatchTicksIT {

    private static final int BURST = 1000;

    @TempDir
    Path root;
    @TempDir
    Path scratch;

    private static Set<String> allPaths(List<JsonNode> ticks) {
        Set<String> all = new HashSet<>();
        ticks.forEach(t -> all.addAll(paths(t)));
        return all;
    }

    private void writeBurst() throws IOException {
        for (int i = 0; i < BURST; i++) {
            Files.writeString(root.resolve("f" + i + ".txt"), "x" + i);
        }
    }

    private static boolean holdsBurst(List<JsonNode> lines) {
        Set<String> all = new HashSet<>();
        lines.stream().filter(n -> n.get("type").asString().equals("tick")).forEach(t -> all.addAll(paths(t)));
        return all.size() >= BURST;
    }

    @Test
    void oneFileChangeIsOneTickWithThatPath() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--events-json", "-")) {
            JsonNode ready = rw.awaitType("ready");
            assertThat(ready.get("roots").get(0).asString()).isEqualTo(root.toRealPath().toString());
            assertThat(ready.get("backend").asString()).isEqualTo("native");

            writeAtomically(root.resolve("a.txt"), "hello", scratch);
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();

            assertThat(triggers(tick)).containsExactly("watch");
            assertThat(tick.get("changes")).hasSize(1);
            JsonNode change = tick.get("changes").get(0);
            assertThat(change.get("root").asString()).isEqualTo(root.toRealPath().toString());
            assertThat(change.get("path").asString()).isEqualTo("a.txt");
            assertThat(change.get("kind").asString()).isEqualTo("created");
            assertThat(change.get("type").asString()).isEqualTo("file");
            assertThat(tick.get("outcome").asString()).isEqualTo("ok");
            assertThat(rw.lines("tick")).hasSize(1);
            assertThat(rw.stderr()).contains("rwatch: tick 1 [watch] 1 change (+1 ~0 -0)").contains("| a.txt");
        }
    }

    @Test
    void aFileRootReportsThatFileAloneAndAnAtomicSaveOfItIsOneModified() throws Exception {
        Path file = Files.writeString(root.resolve("config.yml"), "a: 1\n").toRealPath();
        Path sub = Files.createDirectory(root.resolve("sub"));
        try (RwatchProcess rw = RwatchProcess.start(root, "-w", file.toString(), "--postpone", "--events-json", "-")) {
            JsonNode ready = rw.awaitType("ready");
            assertThat(ready.get("roots").get(0).asString()).isEqualTo(file.toString());
            assertThat(ready.get("trackedFiles").asLong()).isEqualTo(1);
            assertThat(ready.get("trackedDirectories").asLong()).isZero();

            Files.writeString(root.resolve("sibling.txt"), "not watched");
            Files.writeString(sub.resolve("deep.txt"), "not watched either");
            writeAtomically(file, "a: 2\n", scratch);
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();

            assertThat(tick.get("changes")).hasSize(1);
            JsonNode change = tick.get("changes").get(0);
            assertThat(change.get("root").asString()).isEqualTo(file.toString());
            assertThat(change.get("path").asString()).as("the root itself").isEmpty();
            assertThat(change.get("kind").asString()).isEqualTo("modified");
            assertThat(rw.lines("tick")).hasSize(1);
            assertThat(rw.stderr()).contains("rwatch: watching " + file + " (native, 1 file, 0 dirs)")
                    .contains("rwatch: tick 1 [watch] 1 change (+0 ~1 -0)").contains("| " + file);
        }
    }

    @Test
    void aBurstOfAThousandFilesSettlesIntoAtMostTwoTicksHoldingEveryPath() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--settle", "300ms", "--events-json", "-",
                "--", "sleep", "0.2")) {
            rw.awaitType("ready");
            writeBurst();
            rw.awaitLines("all " + BURST + " paths in ticks", RwatchTicksIT::holdsBurst);
            rw.stopGracefully();

            List<JsonNode> ticks = rw.lines("tick");
            System.out.printf("settle: burst of %d files, %d ticks%n", BURST, ticks.size());
            assertThat(ticks).hasSizeBetween(1, 2);
            assertThat(allPaths(ticks)).hasSize(BURST);
            assertThat(ticks).allMatch(t -> t.get("outcome").asString().equals("ok") && t.get("exitCode").asInt() == 0);
        }
    }

    @Test
    void aBurstUnderTheDefaultWindowTicksAtMostOncePerCommandRunPlusTwo() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--events-json", "-", "--", "sleep", "0.2")) {
            rw.awaitType("ready");
            long begin = System.nanoTime();
            writeBurst();
            long burstMillis = (System.nanoTime() - begin) / 1_000_000;
            rw.awaitLines("all " + BURST + " paths in ticks", RwatchTicksIT::holdsBurst);
            rw.stopGracefully();

            List<JsonNode> ticks = rw.lines("tick");
            System.out.printf("window: burst of %d files written in %d ms, %d ticks%n", BURST, burstMillis, ticks.size());
            // Each run of the command takes 200 ms and whatever arrives meanwhile waits for one rerun.
            long perBurst = (burstMillis + 199) / 200;
            assertThat(ticks.size()).as("ticks for a burst of %d ms", burstMillis).isLessThanOrEqualTo((int) perBurst + 2);
            assertThat(allPaths(ticks)).hasSize(BURST);
        }
    }

    @Test
    void theCommandGetsTheTickNumberTheChangesFileAndTheChangedPaths() throws Exception {
        Path out = Files.createDirectory(scratch.resolve("out"));
        String script = "printf %s \"$RWATCH_TICK\" > \"$OUT/tick\"; cp \"$RWATCH_CHANGES_FILE\" \"$OUT/changes.json\"; "
                + "printf %s \"$RWATCH_CHANGED_PATHS\" > \"$OUT/paths\"";
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of("OUT", out.toString()),
                List.of("--postpone", "--events-json", "-", "--", "sh", "-c", script))) {
            rw.awaitType("ready");
            writeAtomically(root.resolve("b.txt"), "b", scratch);
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();

            assertThat(tick.get("exitCode").asInt()).isZero();
            assertThat(Files.readString(out.resolve("tick"))).isEqualTo("1");
            assertThat(Files.readString(out.resolve("paths"))).isEqualTo(root.toRealPath().resolve("b.txt").toString());
            JsonNode file = EventJson.MAPPER.readTree(out.resolve("changes.json"));
            assertThat(file.get("tick").asLong()).isEqualTo(1);
            assertThat(file.get("changes")).isEqualTo(tick.get("changes"));
        }
    }

    @Test
    void aRootGivenAsASymbolicLinkIsReportedUnderTheLinkNotUnderItsTarget() throws Exception {
        Path link = Files.createSymbolicLink(scratch.resolve("link"), root);
        Path out = Files.createDirectory(scratch.resolve("out"));
        String script = "printf %s \"$RWATCH_CHANGED_PATHS\" > \"$OUT/paths\"";
        try (RwatchProcess rw = RwatchProcess.start(scratch, Map.of("OUT", out.toString()), List.of("-w",
                link.toString(), "--postpone", "--events-json", "-", "--", "sh", "-c", script))) {
            JsonNode ready = rw.awaitType("ready");
            assertThat(ready.get("roots").get(0).asString()).isEqualTo(link.toString());

            writeAtomically(root.resolve("a.txt"), "written through the target", scratch);
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();

            assertThat(tick.get("changes")).hasSize(1);
            JsonNode change = tick.get("changes").get(0);
            assertThat(change.get("root").asString()).isEqualTo(link.toString());
            assertThat(change.get("path").asString()).isEqualTo("a.txt");
            assertThat(Files.readString(out.resolve("paths"))).isEqualTo(link.resolve("a.txt").toString());
            assertThat(rw.stderr()).contains("watching " + link);
        }
    }

    @Test
    void aFailingCommandIsAFailedTickWhoseChangesComeAgainWithTheNextChange() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--events-json", "-", "--", "sh", "-c", "exit 3")) {
            rw.awaitType("ready");
            writeAtomically(root.resolve("c.txt"), "c", scratch);
            JsonNode first = rw.awaitTick(1);
            writeAtomically(root.resolve("d.txt"), "d", scratch);
            JsonNode second = rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(first.get("outcome").asString()).isEqualTo("failed");
            assertThat(first.get("exitCode").asInt()).isEqualTo(3);
            assertThat(triggers(second)).as("not a retry").containsExactly("watch");
            assertThat(paths(second)).as("the failed tick's change rides along").containsExactly("c.txt", "d.txt");
            assertThat(second.get("outcome").asString()).isEqualTo("failed");
            assertThat(second.get("exitCode").asInt()).isEqualTo(3);
            assertThat(rw.lines("tick")).as("no retry tick").hasSize(2);
            assertThat(rw.lines("stopped").get(0).get("pendingChanges").asInt()).as("both still pending").isEqualTo(2);
        }
    }

    @Test
    void withoutPostponeTheCommandRunsOnceAtStart() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, "--events-json", "-", "--", "true")) {
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();
            assertThat(triggers(tick)).containsExactly("startup");
            assertThat(tick.get("changes")).isEmpty();
            assertThat(rw.lines().get(0).get("type").asString()).isEqualTo("ready");
        }
    }

    @Test
    void thePollingBackendTicksWithThePollTrigger() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--poll=200ms", "--events-json", "-")) {
            assertThat(rw.awaitType("ready").get("backend").asString()).isEqualTo("polling");
            writeAtomically(root.resolve("p.txt"), "p", scratch);
            JsonNode tick = rw.await("with p.txt", n -> n.get("type").asString().equals("tick") && paths(n).contains("p.txt"));
            rw.stopGracefully();
            assertThat(triggers(tick)).contains("poll");
        }
    }

    @Test
    void anEventsFileInsideTheWatchedTreeNeverTriggersATick() throws Exception {
        Path events = root.resolve("events.jsonl");
        try (RwatchProcess rw = RwatchProcess.start(root, "--postpone", "--events-json", events.toString())) {
            Await.until("ready in the events file", RwatchProcess.DEADLINE, () -> lines(events).size() >= 1);
            writeAtomically(root.resolve("e1.txt"), "1", scratch);
            Await.until("tick 1", RwatchProcess.DEADLINE, () -> lines(events).size() >= 2);
            writeAtomically(root.resolve("e2.txt"), "2", scratch);
            Await.until("tick 2", RwatchProcess.DEADLINE, () -> lines(events).size() >= 3);
            rw.terminate();
            assertThat(rw.awaitExit()).isZero();

            List<JsonNode> lines = lines(events);
            assertThat(lines).extracting(n -> n.get("type").asString()).containsExactly("ready", "tick", "tick", "stopped");
            assertThat(paths(lines.get(1))).containsExactly("e1.txt");
            assertThat(paths(lines.get(2))).containsExactly("e2.txt");
        }
    }

    private static List<JsonNode> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).map(EventJson.MAPPER::readTree).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
