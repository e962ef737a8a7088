package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.paths;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The jar and file names that the command's environment or the JVM's locale cannot carry as they are. */
class RwatchFileNamesIT {

    private static final String NEWLINE_NAME = "two\nlines.txt";

    @TempDir
    Path root;
    @TempDir
    Path scratch;

    private static Set<String> tickPaths(List<JsonNode> lines) {
        Set<String> all = new HashSet<>();
        lines.stream().filter(n -> n.get("type").asString().equals("tick")).forEach(t -> all.addAll(paths(t)));
        return all;
    }

    @Test
    void aNameWithANewlineIsLeftOutOfChangedPathsCountedAndKeptInTheChangesFile() throws Exception {
        Path out = Files.createDirectory(scratch.resolve("out"));
        // One set of files per tick, named by its number: the two files may land in one tick or two.
        String script = "printf %s \"$RWATCH_CHANGED_PATHS\" > \"$OUT/paths-$RWATCH_TICK\"; "
                + "printf %s \"${RWATCH_CHANGED_PATHS_OMITTED-unset}\" > \"$OUT/omitted-$RWATCH_TICK\"; "
                + "cp \"$RWATCH_CHANGES_FILE\" \"$OUT/changes-$RWATCH_TICK.json\"";
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of("OUT", out.toString()),
                List.of("--postpone", "--window", "300ms", "--events-json", "-", "--", "sh", "-c", script))) {
            Path realRoot = Path.of(rw.awaitType("ready").get("roots").get(0).asString());
            writeAtomically(root.resolve(NEWLINE_NAME), "a name on two lines", scratch);
            writeAtomically(root.resolve("plain.txt"), "an ordinary name", scratch);
            rw.awaitLines("ticks holding both files",
                    lines -> tickPaths(lines).containsAll(List.of(NEWLINE_NAME, "plain.txt")));
            rw.stopGracefully();

            for (JsonNode tick : rw.lines("tick")) {
                long n = tick.get("tick").asLong();
                assertThat(tick.get("exitCode").asInt()).isZero();
                List<String> listable = new ArrayList<>();
                int withNewline = 0;
                for (String p : paths(tick)) {
                    if (p.contains("\n")) {
                        withNewline++;
                    } else {
                        listable.add(realRoot.resolve(p).toString());
                    }
                }
                assertThat(Files.readString(out.resolve("paths-" + n)))
                        .as("RWATCH_CHANGED_PATHS of tick %d", n).isEqualTo(String.join("\n", listable));
                assertThat(Files.readString(out.resolve("omitted-" + n)))
                        .as("RWATCH_CHANGED_PATHS_OMITTED of tick %d", n).isEqualTo(Integer.toString(withNewline));
                JsonNode file = EventJson.MAPPER.readTree(out.resolve("changes-" + n + ".json"));
                assertThat(file.get("changes")).as("the changes file of tick %d is complete", n)
                        .isEqualTo(tick.get("changes"));
            }
            assertThat(tickPaths(rw.lines())).contains(NEWLINE_NAME);
        }
    }

    @Test
    void underTheCLocaleRwatchWarnsOnceThatFileNamesAreNotReadAsUtf8() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of("LC_ALL", "C", "LANG", "C"),
                List.of("--postpone", "--events-json", "-"))) {
            rw.awaitType("ready");
            JsonNode error = rw.awaitType("error");
            rw.awaitStderr("rwatch: watching");
            rw.stopGracefully();

            assertThat(error.get("message").asString()).contains("not UTF-8", "UTF-8 locale");
            List<String> warnings = rw.stderr().lines().filter(l -> l.startsWith("rwatch: warning:")).toList();
            assertThat(warnings).containsExactly("rwatch: warning: " + error.get("message").asString());
            assertThat(rw.lines().stream().map(n -> n.get("type").asString()).toList())
                    .containsExactly("ready", "error", "stopped");
        }
    }

    @Test
    void underAUtf8LocaleNothingIsSaidAboutFileNames() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(root, Map.of("LC_ALL", "C.UTF-8"),
                List.of("--postpone", "--events-json", "-"))) {
            rw.awaitType("ready");
            rw.awaitStderr("rwatch: watching");
            rw.stopGracefully();
            assertThat(rw.stderr()).doesNotContain("warning");
            assertThat(rw.lines("error")).isEmpty();
        }
    }
}
