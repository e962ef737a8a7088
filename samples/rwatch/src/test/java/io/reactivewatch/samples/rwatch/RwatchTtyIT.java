package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.PtyProcess.assertExited;
import static io.reactivewatch.samples.rwatch.PtyProcess.visible;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The jar on a terminal: a pseudo-terminal (util-linux's {@code script}) is its stdin, stdout and stderr, keys
 * are typed into it, and what it draws there is read raw.
 */
class RwatchTtyIT {

    private static final String ERASE_LINE = "\r\033[K";

    @TempDir
    Path root;
    @TempDir
    Path scratch;

    @BeforeAll
    static void needsAPseudoTerminal() {
        assumeTrue(PtyProcess.available(), "util-linux's script runs a pseudo-terminal");
    }

    /** rwatch, then the terminal's settings as it left them, then rwatch's exit status as the whole line's. */
    private static String thenTerminalSettings(String rwatch) {
        // Ctrl-C reaches the shell too. Without a trap a non-interactive shell whose last reaped child died of
        // SIGINT (cat, in a pipeline) kills itself, and its exit status would be 130 whatever rwatch returned.
        // A caught (not ignored) signal is reset to its default in the children, so rwatch still gets SIGINT.
        return "trap : INT; " + rwatch + "; status=$?; stty -a; exit $status";
    }

    private PtyProcess start(String... args) throws Exception {
        return PtyProcess.start(root, thenTerminalSettings(PtyProcess.rwatch(List.of(args))));
    }

    /** Waits until rwatch reads keys: the status line names them once they act. */
    private static void awaitKeys(PtyProcess pty) {
        pty.awaitText(StatusLine.KEYS);
    }

    /** The terminal's line discipline is back where rwatch found it: line editing and echo. */
    private static void assertTerminalRestored(String output) {
        String settings = output.substring(output.lastIndexOf("speed "));
        assertThat(settings).containsPattern("(^|\\s)icanon\\s").containsPattern("(^|\\s)echo\\s");
    }

    private static long occurrences(String text, String of) {
        return Pattern.compile(Pattern.quote(of)).matcher(text).results().count();
    }

    @Test
    void eachTickIsOneLineAndTheStatusLineIsRedrawnInPlaceWithoutRepeatingIt() throws Exception {
        try (PtyProcess pty = start("--postpone", "-w", root.toString())) {
            awaitKeys(pty);
            writeAtomically(root.resolve("a.txt"), "a", scratch);
            pty.awaitText("rwatch: tick 1 [watch]");
            // After the tick line the status line comes back below it, drawn over in place.
            Pattern redrawn = Pattern.compile("rwatch: tick 1 \\[watch\\][^\\n]*\\r\\n"
                    + "(rwatch: (idle|running tick \\d+) \\| [^\\r\\n]*" + Pattern.quote(ERASE_LINE) + ")*"
                    + "rwatch: idle \\| pending 0 \\| 1 file, 0 dirs \\| " + Pattern.quote(StatusLine.KEYS));
            pty.await("the idle status line redrawn below the tick line", out -> redrawn.matcher(out).find());
            writeAtomically(root.resolve("b.txt"), "b", scratch);
            pty.awaitText("rwatch: tick 2 [watch]");
            pty.type("q");
            assertExited(pty, 0);

            String out = pty.output();
            assertThat(occurrences(out, "rwatch: tick 1 ")).as("tick 1 printed once in:\n%s", visible(out))
                    .isEqualTo(1);
            assertThat(occurrences(out, "rwatch: tick 2 ")).as("tick 2 printed once in:\n%s", visible(out))
                    .isEqualTo(1);
            List<String> statusLines = new ArrayList<>();
            for (String segment : out.split("\r\n|" + Pattern.quote(ERASE_LINE))) {
                if (segment.startsWith("rwatch: idle") || segment.startsWith("rwatch: running")) {
                    statusLines.add(segment);
                }
            }
            assertThat(statusLines).isNotEmpty().allSatisfy(s -> assertThat(s)
                    .doesNotContain("[watch]").doesNotContain("a.txt").doesNotContain("change"));
            assertThat(out).contains("rwatch: stopping");
            assertTerminalRestored(out);
        }
    }

    @Test
    void rRunsAManualTickAndQQuitsGracefullyWithTheStatePersisted() throws Exception {
        Path events = scratch.resolve("events.jsonl");
        Path state = scratch.resolve("state.json");
        try (PtyProcess pty = start("--postpone", "-w", root.toString(), "--state", state.toString(),
                "--events-json", events.toString(), "--", "echo", "RAN")) {
            awaitKeys(pty);
            pty.type("r");
            pty.awaitText("rwatch: tick 1 [manual]");
            assertThat(pty.output()).contains("RAN");
            pty.type("q");
            assertExited(pty, 0);

            List<String> lines = Files.readAllLines(events);
            JsonNode last = EventJson.MAPPER.readTree(lines.get(lines.size() - 1));
            assertThat(last.get("type").asString()).isEqualTo("stopped");
            assertThat(last.get("pendingChanges").asInt()).isZero();
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("\"triggers\":[\"manual\"]"));
            assertThat(state).isRegularFile();
            assertTerminalRestored(pty.output());
        }
    }

    @Test
    void jsonLinesOnTheTerminalNeverCarryTheStatusLine() throws Exception {
        try (PtyProcess pty = start("--postpone", "-w", root.toString(), "--events-json", "-")) {
            pty.awaitText("Ctrl-C to stop (" + StatusLine.KEYS + ")");
            pty.type("r");
            pty.awaitText("\"triggers\":[\"manual\"]");
            writeAtomically(root.resolve("a.txt"), "a", scratch);
            pty.awaitText("\"triggers\":[\"watch\"]");
            pty.type("q");
            assertExited(pty, 0);

            String out = pty.output();
            assertThat(out).doesNotContain(ERASE_LINE).doesNotContain("rwatch: idle").doesNotContain("| keys:");
            List<String> json = out.lines().map(String::strip).filter(l -> l.contains("{")).toList();
            assertThat(json).hasSizeGreaterThanOrEqualTo(4).allSatisfy(l -> {
                assertThat(l).startsWith("{\"type\":");
                assertThat(EventJson.MAPPER.readTree(l).isObject()).isTrue();
            });
            assertThat(json.get(json.size() - 1)).contains("\"type\":\"stopped\"");
        }
    }

    @Test
    void clearWipesTheScreenBeforeEachRunOnATerminal() throws Exception {
        try (PtyProcess pty = start("--postpone", "-w", root.toString(), "--clear", "--", "echo", "RAN")) {
            awaitKeys(pty);
            pty.type("r");
            pty.awaitText("rwatch: tick 1 [manual]");
            pty.type("r");
            pty.awaitText("rwatch: tick 2 [manual]");
            pty.type("q");
            assertExited(pty, 0);

            String out = pty.output();
            assertThat(occurrences(out, Terminal.CLEAR_SCREEN + "RAN")).as(visible(out)).isEqualTo(2);
        }
    }

    @Test
    void clearLeavesAPipeAlone() throws Exception {
        String piped = PtyProcess.rwatch(List.of("--postpone", "-w", root.toString(), "--clear", "--", "echo", "RAN"))
                + " | cat";
        try (PtyProcess pty = PtyProcess.start(root, thenTerminalSettings(piped))) {
            // No status line with stdout piped; the start line names the keys.
            pty.awaitText("Ctrl-C to stop (" + StatusLine.KEYS + ")");
            pty.type("r");
            pty.awaitText("rwatch: tick 1 [manual]");
            pty.awaitText("RAN");
            pty.type("q");
            assertExited(pty, 0);

            assertThat(pty.output()).contains("RAN").doesNotContain("\033[2J");
        }
    }

    @Test
    void keysTypedIntoAPipeDoNothing() throws Exception {
        // stdin is cat's pipe, not the terminal: rwatch must neither read it as keys nor switch the terminal.
        String fromAPipe = "cat | " + PtyProcess.rwatch(List.of("--postpone", "-w", root.toString()));
        try (PtyProcess pty = PtyProcess.start(root, thenTerminalSettings(fromAPipe))) {
            pty.awaitText("rwatch: watching");
            pty.type("rq\n");
            pty.awaitText("rq");
            writeAtomically(root.resolve("a.txt"), "a", scratch);
            pty.awaitText("rwatch: tick 1 [watch]");

            assertThat(pty.output()).doesNotContain("[manual]").doesNotContain("rwatch: stopping")
                    .doesNotContain("keys:");
            pty.type("\003"); // Ctrl-C: SIGINT to the foreground group, cat and rwatch
            pty.awaitText("rwatch: stopping");
            assertExited(pty, 0);
            assertTerminalRestored(pty.output());
        }
    }
}
