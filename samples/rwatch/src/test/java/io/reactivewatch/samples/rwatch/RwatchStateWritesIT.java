package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.paths;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * State that cannot be written, with the jar: loud (one {@code error} line in the JSON and one warning on
 * stderr per episode, one more warning when writes succeed again), never traded for a silent loss (the tick
 * waits until its changes are on disk), and fatal at start (exit 2, one line naming the file).
 *
 * <p>The tests run as root, where permissions do not stop a write; the failures are made with the file tree
 * instead, which stops root too: the state's directory replaced by a regular file, or a directory where the
 * journal must go.
 */
class RwatchStateWritesIT {

    private static final String PERSIST_FAILED = "could not persist state";
    private static final String PERSISTED_AGAIN = "state is persisted again to state file ";

    @TempDir
    Path root;
    @TempDir
    Path scratch;

    private Path stateDir() {
        return scratch.resolve("state");
    }

    private Path state() {
        return stateDir().resolve("rwatch-state.json");
    }

    private Path away() {
        return scratch.resolve("state.away");
    }

    /** The state's directory moves away and a regular file takes its path: no write can reach the state. */
    private void breakStateDirectory() throws IOException {
        Files.move(stateDir(), away());
        Files.writeString(stateDir(), "in the way");
    }

    private void repairStateDirectory() throws IOException {
        Files.delete(stateDir());
        Files.move(away(), stateDir());
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    private static boolean delivered(List<JsonNode> lines, String path) {
        return lines.stream().filter(n -> n.get("type").asString().equals("tick"))
                .anyMatch(t -> paths(t).contains(path));
    }

    /**
     * One failing episode while {@code name} is written: the error line and the warning come, the tick
     * holding {@code name} waits, and once the directory is back the warning of recovery comes and the tick
     * runs.
     */
    private void episode(RwatchProcess rw, int number, String name) throws IOException {
        breakStateDirectory();
        writeAtomically(root.resolve(name), name, scratch);
        rw.awaitLines("error line " + number + " about the state write",
                lines -> lines.stream().filter(n -> n.get("type").asString().equals("error")
                        && n.get("message").asString().contains(PERSIST_FAILED)).count() == number);
        rw.awaitStderr(PERSIST_FAILED);
        Await.until("warning " + number + " on stderr", RwatchProcess.DEADLINE,
                () -> count(rw.stderr(), PERSIST_FAILED) == number);
        // A second change while the first waits: more status updates within the same episode.
        writeAtomically(root.resolve("also-" + name), name, scratch);
        assertThat(delivered(rw.lines(), name)).as("a tick delivered %s although it could not be recorded", name)
                .isFalse();

        repairStateDirectory();
        Await.until("recovery warning " + number, RwatchProcess.DEADLINE,
                () -> count(rw.stderr(), PERSISTED_AGAIN) == number);
        rw.awaitLines(name + " and also-" + name + " delivered",
                lines -> delivered(lines, name) && delivered(lines, "also-" + name));
    }

    @Test
    void aStateWriteThatFailsMidRunIsOneErrorLineAndOneWarningPerEpisodeAndTheTickWaitsForTheDisk()
            throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of(), List.of("--postpone", "--state",
                state().toString(), "--events-json", "-"))) {
            rw.awaitType("ready");
            writeAtomically(root.resolve("first.txt"), "first", scratch);
            rw.awaitTick(1);

            episode(rw, 1, "one.txt");
            episode(rw, 2, "two.txt");

            rw.stopGracefully();
            String stderr = rw.stderr();
            List<JsonNode> errors = rw.lines("error");
            assertThat(errors).as("error lines; stderr:\n%s", stderr).hasSize(2)
                    .allMatch(n -> n.get("message").asString().startsWith(PERSIST_FAILED + " to " + state() + ": "));
            assertThat(count(stderr, PERSIST_FAILED)).as("stderr:\n%s", stderr).isEqualTo(2);
            assertThat(count(stderr, PERSISTED_AGAIN)).as("stderr:\n%s", stderr).isEqualTo(2);
            assertThat(stderr.lines().filter(l -> l.contains(PERSIST_FAILED) || l.contains(PERSISTED_AGAIN)))
                    .allMatch(l -> l.startsWith("rwatch: warning: "));
        }
    }

    @Test
    void aStateFileThatCannotBeWrittenAtStartExitsTwoWithOneLineNamingIt() throws Exception {
        // A directory (not empty) where the journal goes: renaming a file over it fails, for root too.
        Files.createDirectories(state().resolveSibling("rwatch-state.json.journal").resolve("x"));
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of(), List.of("--state", state().toString(),
                "--events-json", "-"))) {
            assertThat(rw.awaitExit()).isEqualTo(2);
            List<String> err = rw.stderr().lines().toList();
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).startsWith("rwatch: cannot write the state file " + state() + ": ");
            assertThat(rw.lines()).isEmpty();
        }
    }
}
