package io.reactivewatch.samples.rwatch;

import static io.reactivewatch.samples.rwatch.RwatchProcess.paths;
import static io.reactivewatch.samples.rwatch.RwatchProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.JsonNode;

/**
 * The launcher {@code target/rwatch} that the build writes beside the jar, run as a user would: it must start
 * the JVM in its own place (exec), with its settings, and hand signals, exit statuses and the locale through.
 */
class RwatchLauncherIT {

    @TempDir
    Path dir;
    @TempDir
    Path scratch;

    private static RwatchProcess launch(Path dir, Map<String, String> env, String... args) throws IOException {
        return RwatchProcess.launch(RwatchProcess.launcher(), dir, env, List.of(args));
    }

    private static List<String> jvmArguments(RwatchProcess rw) {
        return List.of(rw.handle().info().arguments().orElseThrow());
    }

    @Test
    void theLauncherExecsTheJvmWithItsSettingsAndTheSharedArchive() throws Exception {
        try (RwatchProcess rw = launch(dir, Map.of(), "--postpone", "--events-json", "-")) {
            rw.awaitType("ready");
            // The script replaced itself: the process the test started is the JVM, so signals reach rwatch.
            assertThat(rw.handle().info().command().orElseThrow()).endsWith("/bin/java");
            Path home = RwatchProcess.launcher().toRealPath().getParent();
            assertThat(jvmArguments(rw)).contains("-XX:+UseSerialGC", "-Xms8m", "-XX:TieredStopAtLevel=1",
                    "-XX:SharedArchiveFile=" + home.resolve("rwatch.jsa"), "-jar", home.resolve("rwatch.jar").toString());
            rw.stopGracefully();
            assertThat(rw.stderr()).doesNotContain("warning");
        }
    }

    @Test
    void sigintThroughTheLauncherStopsGracefullyToo() throws Exception {
        try (RwatchProcess rw = launch(dir, Map.of(), "--postpone", "--events-json", "-")) {
            rw.awaitType("ready");
            rw.interrupt();
            assertThat(rw.awaitExit()).as("exit status; stderr:\n%s", rw.stderr()).isZero();
            List<JsonNode> lines = rw.lines();
            assertThat(lines.get(lines.size() - 1).get("type").asString()).isEqualTo("stopped");
        }
    }

    @Test
    void theJvmLoadsClassesFromTheArchiveTheBuildMade() throws Exception {
        Path log = scratch.resolve("classes.log");
        try (RwatchProcess rw = launch(dir, Map.of("RWATCH_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "--postpone", "--events-json", "-")) {
            rw.awaitType("ready");
            rw.stopGracefully();
        }
        try (var lines = Files.lines(log)) {
            assertThat(lines.filter(l -> l.contains("io.reactivewatch.samples.rwatch.Runner ")).toList())
                    .singleElement().asString().contains("shared objects file (top)");
        }
    }

    @Test
    void anArchiveThatDoesNotFitIsLeftOutSilently() throws Exception {
        // A copy elsewhere: the archive names the jar at its build place, so the JVM cannot use it here.
        Path home = RwatchProcess.launcher().toRealPath().getParent();
        Path copy = Files.createDirectory(scratch.resolve("copy"));
        for (String f : List.of("rwatch", "rwatch.jar", "rwatch.jsa")) {
            Files.copy(home.resolve(f), copy.resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        try (RwatchProcess rw = RwatchProcess.launch(copy.resolve("rwatch"), dir, Map.of(),
                List.of("--postpone", "--events-json", "-"))) {
            rw.awaitType("ready");
            rw.awaitStderr("rwatch: watching");
            rw.stopGracefully();
            assertThat(rw.stderr().lines().toList()).allMatch(l -> l.startsWith("rwatch: "));
        }
    }

    @Test
    void badUsageThroughTheLauncherIsOneLineAndExitStatus2() throws Exception {
        try (RwatchProcess rw = launch(dir, Map.of(), "--frobnicate", "--events-json", "-")) {
            assertThat(rw.awaitExit()).isEqualTo(2);
            assertThat(rw.stderr().lines().toList()).singleElement().asString()
                    .startsWith("rwatch: Unknown option: '--frobnicate'");
            assertThat(rw.lines()).isEmpty();
        }
    }

    @Test
    void aSymlinkToTheLauncherFindsTheJarBesideTheRealScript() throws Exception {
        Path bin = Files.createDirectory(scratch.resolve("bin"));
        // Two links, the first relative: ~/bin/rwatch -> rwatch-dev -> target/rwatch.
        Files.createSymbolicLink(bin.resolve("rwatch-dev"), RwatchProcess.launcher().toAbsolutePath());
        Path link = Files.createSymbolicLink(bin.resolve("rwatch"), Path.of("rwatch-dev"));
        try (RwatchProcess rw = RwatchProcess.launch(link, dir, Map.of(), List.of("--postpone", "--events-json", "-"))) {
            rw.awaitType("ready");
            rw.stopGracefully();
        } finally {
            // JUnit would warn about links pointing out of its temporary directory.
            Files.delete(link);
            Files.delete(bin.resolve("rwatch-dev"));
        }
    }

    @Test
    void javaHomeWithoutAJavaIsOneLineAndExitStatus127() throws Exception {
        try (RwatchProcess rw = launch(dir, Map.of("JAVA_HOME", scratch.toString()), "--version")) {
            assertThat(rw.awaitExit()).isEqualTo(127);
            assertThat(rw.stderr().lines().toList()).singleElement().asString()
                    .startsWith("rwatch: JAVA_HOME is " + scratch);
        }
    }

    @Test
    void userJvmOptionsComeLastAndAChosenCollectorReplacesTheSerialOne() throws Exception {
        Map<String, String> env = Map.of("JAVA_OPTS", "-Drwatch.test.a=1 -Xms16m",
                "RWATCH_JAVA_OPTS", "-Drwatch.test.b=2  -XX:+UseParallelGC");
        try (RwatchProcess rw = launch(dir, env, "--postpone", "--events-json", "-")) {
            rw.awaitType("ready");
            List<String> args = jvmArguments(rw);
            rw.stopGracefully();
            assertThat(args).doesNotContain("-XX:+UseSerialGC")
                    .containsSubsequence("-Xms8m", "-Drwatch.test.a=1", "-Xms16m", "-Drwatch.test.b=2",
                            "-XX:+UseParallelGC", "-jar");
        }
    }

    private static boolean utf8LocaleAvailable() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "LC_ALL=C.UTF-8 locale charmap; LC_ALL=en_US.UTF-8 locale charmap")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor(10, TimeUnit.SECONDS) && out.contains("UTF-8");
    }

    @Test
    void underTheCLocaleNamesAreReadAsUtf8AndTheCommandKeepsTheUsersLocale() throws Exception {
        assumeTrue(utf8LocaleAvailable(), "this system has neither C.UTF-8 nor en_US.UTF-8");
        Path out = Files.createDirectory(scratch.resolve("out"));
        String script = "printf '%s|%s|%s' \"${LC_ALL-unset}\" \"${LANG-unset}\" \"${RWATCH_LAUNCHER_LC_ALL-unset}\" "
                + "> \"$OUT/locale-$RWATCH_TICK\"";
        Map<String, String> env = Map.of("LC_ALL", "C", "LANG", "C", "OUT", out.toString());
        try (RwatchProcess rw = launch(dir, env, "--postpone", "--events-json", "-", "--", "sh", "-c", script)) {
            rw.awaitType("ready");
            writeAtomically(dir.resolve("café.txt"), "é", scratch);
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();
            assertThat(paths(tick)).containsExactly("café.txt");
            assertThat(Files.readString(out.resolve("locale-1"))).isEqualTo("C|C|unset");
            assertThat(rw.stderr()).doesNotContain("warning");
        }
    }

    @Test
    void anLcAllThatWasNotSetIsNotSetForTheCommandEither() throws Exception {
        assumeTrue(utf8LocaleAvailable(), "this system has neither C.UTF-8 nor en_US.UTF-8");
        Path out = Files.createDirectory(scratch.resolve("out"));
        Map<String, String> env = new HashMap<>();
        env.put("LC_ALL", null);
        env.put("LC_CTYPE", null);
        env.put("LANG", "POSIX");
        env.put("OUT", out.toString());
        try (RwatchProcess rw = launch(dir, env, "--events-json", "-", "--", "sh", "-c",
                "printf '%s|%s' \"${LC_ALL-unset}\" \"${LANG-unset}\" > \"$OUT/locale\"")) {
            assertThat(rw.awaitTick(1).get("outcome").asString()).isEqualTo("ok");
            rw.stopGracefully();
            assertThat(Files.readString(out.resolve("locale"))).isEqualTo("unset|POSIX");
        }
    }

    @Test
    void theCompletionScriptRegistersForRwatchAndOffersThePolicies() throws Exception {
        Path completion = RwatchProcess.launcher().resolveSibling("rwatch_completion");
        assertThat(completion).isRegularFile();
        // compopt works only inside a completion that readline started: a no-op stands in for it here.
        String script = "source \"$1\"; complete -p rwatch; compopt() { :; }; "
                + "COMP_WORDS=(rwatch --on-busy ''); COMP_CWORD=2; _complete_rwatch; echo \"${COMPREPLY[*]}\"";
        Process bash = new ProcessBuilder("bash", "-c", script, "bash", completion.toString())
                .redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out.lines().toList()).containsExactly("complete -o default -F _complete_rwatch rwatch",
                "queue drop restart signal");
    }

    /** The long and short option names in {@code rwatch --help}: words that start a line of the options list. */
    private static Set<String> optionNamesIn(String help) {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s+(-[^\\s=,\\[]+)(?:, (--[^\\s=\\[]+))?").matcher(help);
        while (m.find()) {
            names.add(m.group(1));
            if (m.group(2) != null) {
                names.add(m.group(2));
            }
        }
        return names;
    }

    @Test
    void theManPageHasEveryOptionOfTheHelpAndTheModel() throws Exception {
        String help;
        try (RwatchProcess rw = launch(dir, Map.of(), "--help")) {
            assertThat(rw.awaitExit()).isZero();
            help = rw.stdout();
        }
        Set<String> model = new TreeSet<>();
        for (OptionSpec o : Manual.commandLine().getCommandSpec().options()) {
            model.addAll(List.of(o.names()));
        }
        assertThat(optionNamesIn(help)).isEqualTo(model);

        String page = Files.readString(RwatchProcess.launcher().resolveSibling("rwatch.1"));
        for (String name : model) {
            assertThat(page).contains("\\fB" + name.replace("-", "\\-") + "\\fR");
        }
    }
}
