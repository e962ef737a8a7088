package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Coalescing;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

class CliTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<RunConfig> runs = new ArrayList<>();

    private int exec(String... args) {
        return Cli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), c -> {
            runs.add(c);
            return 0;
        });
    }

    private RunConfig parse(String... args) {
        int status = exec(args);
        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    @Test
    void defaultsMatchTheDocumentedContract() {
        RunConfig c = parse();
        assertThat(c.roots()).containsExactly(Path.of(".").toAbsolutePath().normalize());
        assertThat(c.extensions()).isEmpty();
        assertThat(c.includes()).isEmpty();
        assertThat(c.excludes()).isEmpty();
        assertThat(c.vcsIgnore()).isTrue();
        assertThat(c.deferVcs()).isTrue();
        assertThat(c.coalescing()).isEqualTo(Coalescing.window(Duration.ofMillis(50)));
        assertThat(c.coalescing().maxBatch()).as("no count cap: a burst in one window is one tick").isEmpty();
        assertThat(c.busyPolicy()).isEqualTo(BusyPolicy.QUEUE);
        assertThat(c.stopTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.pollInterval()).isNull();
        assertThat(c.stateFile()).isNull();
        assertThat(c.postpone()).isFalse();
        assertThat(c.eventsJson()).isNull();
        assertThat(c.command()).isEmpty();
        assertThat(c.commandOptions()).isEqualTo(RunConfig.CommandOptions.DEFAULTS);
        assertThat(c.commandOptions().stopSignal()).isEqualTo(Signal.TERM);
        assertThat(c.commandOptions().busySignal()).isNull();
        assertThat(c.commandOptions().timeout()).isNull();
        assertThat(c.commandOptions().exitOnError()).isFalse();
        assertThat(c.commandOptions().env()).isEmpty();
        assertThat(c.commandOptions().workdir()).isNull();
        assertThat(c.commandOptions().shell()).isNull();
        assertThat(c.commandOptions().delayRun()).isZero();
        assertThat(c.verbosity()).isEqualTo(RunConfig.Verbosity.NORMAL);
        assertThat(c.clear()).isFalse();
        assertThat(c.keys()).isTrue();
    }

    @Test
    void clearAndNoKeysReachTheConfiguration() {
        RunConfig c = parse("-c", "--no-keys", "--", "make");
        assertThat(c.clear()).isTrue();
        assertThat(c.keys()).isFalse();
        runs.clear();
        assertThat(parse("--clear", "--", "make").clear()).isTrue();
    }

    @Test
    void aRegularFileIsARootNextToADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve(".bashrc"), "x");
        Path sub = Files.createDirectory(dir.resolve("src"));
        assertThat(parse("-w", file.toString(), "-w", sub.toString()).roots()).containsExactly(file, sub);
    }

    @Test
    void restartIsShortForOnBusyRestart() {
        assertThat(parse("-r").busyPolicy()).isEqualTo(BusyPolicy.RESTART);
        runs.clear();
        assertThat(parse("--restart", "--on-busy", "restart").busyPolicy()).isEqualTo(BusyPolicy.RESTART);
    }

    @Test
    void onBusySignalQueuesAndSignalsWithHupUnlessToldOtherwise() {
        RunConfig c = parse("--on-busy", "signal", "--", "./server");
        assertThat(c.busyPolicy()).as("the changes wait for the next run").isEqualTo(BusyPolicy.QUEUE);
        assertThat(c.commandOptions().busySignal()).isEqualTo(Signal.HUP);
        runs.clear();
        assertThat(parse("--on-busy", "signal", "--signal", "USR1").commandOptions().busySignal())
                .isEqualTo(new Signal("USR1"));
    }

    @Test
    void aSignalAloneMeansOnBusySignal() {
        RunConfig c = parse("-s", "sigusr2", "--", "./server");
        assertThat(c.busyPolicy()).isEqualTo(BusyPolicy.QUEUE);
        assertThat(c.commandOptions().busySignal()).isEqualTo(new Signal("USR2"));
    }

    @Test
    void theStopSignalTakesANameWithOrWithoutSigInAnyCase() {
        assertThat(parse("--stop-signal", "INT").commandOptions().stopSignal()).isEqualTo(new Signal("INT"));
        runs.clear();
        assertThat(parse("--stop-signal", "sigquit").commandOptions().stopSignal()).isEqualTo(new Signal("QUIT"));
        runs.clear();
        assertThat(parse("--stop-signal", "kill").commandOptions().stopSignal()).isEqualTo(Signal.KILL);
    }

    @Test
    void commandOptionsReachTheConfiguration() throws IOException {
        Path work = Files.createDirectory(dir.resolve("work"));
        RunConfig c = parse("--timeout", "2s", "--exit-on-error", "-E", "A=1", "--env", "B=x=y", "-E", "EMPTY=",
                "--workdir", work.toString(), "--delay-run", "300ms", "-p", "-v", "--", "make", "test");
        RunConfig.CommandOptions o = c.commandOptions();
        assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(o.exitOnError()).isTrue();
        assertThat(o.env()).containsExactly(entry("A", "1"), entry("B", "x=y"), entry("EMPTY", ""));
        assertThat(o.workdir()).isEqualTo(work);
        assertThat(o.delayRun()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.postpone()).isTrue();
        assertThat(c.verbosity()).isEqualTo(RunConfig.Verbosity.VERBOSE);
        assertThat(o.argv(c.command())).as("no shell").containsExactly("make", "test");
        runs.clear();
        assertThat(parse("-q").verbosity()).isEqualTo(RunConfig.Verbosity.QUIET);
    }

    @Test
    void aShellRunsTheCommandsWordsJoinedAsOneScript() {
        RunConfig c = parse("--shell", "bash", "--", "make", "&&", "./run", "$HOME");
        assertThat(c.command()).containsExactly("make", "&&", "./run", "$HOME");
        assertThat(c.commandOptions().argv(c.command())).containsExactly("bash", "-c", "make && ./run $HOME");
    }

    @Test
    void optionsOfOneHelpSectionMayBeRepeatedAroundOthers() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        RunConfig c = parse("-w", a.toString(), "--window", "1s", "-w", b.toString(), "-E", "A=1", "-r",
                "--env", "B=2", "-i", "x", "--timeout", "1s", "-i", "y");
        assertThat(c.roots()).containsExactly(a, b);
        assertThat(c.excludes()).containsExactly("x", "y");
        assertThat(c.commandOptions().env()).containsOnlyKeys("A", "B");
        assertThat(c.busyPolicy()).isEqualTo(BusyPolicy.RESTART);
    }

    @Test
    void aWorkdirThatIsMissingOrAFileIsOneLineAndExitTwo() throws IOException {
        assertUsageError("--workdir " + dir.resolve("nope") + " does not exist", "--workdir",
                dir.resolve("nope").toString(), "--", "true");
        err.getBuffer().setLength(0);
        Path file = Files.writeString(dir.resolve("f.txt"), "x");
        assertUsageError("--workdir " + file + " is not a directory", "--workdir", file.toString(), "--", "true");
    }

    @Test
    void everyOptionReachesTheConfiguration() throws IOException {
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        RunConfig c = parse("-w", a.toString(), "--watch", b.toString(), "-e", "java,.kt", "--exts", "md",
                "-f", "src/**", "--filter", "*.txt", "-i", "build/", "--ignore", "*.log", "--no-vcs-ignore",
                "--no-defer-vcs", "--window", "2s", "--max-batch", "7", "--on-busy", "restart", "--stop-timeout",
                "500ms", "--poll=250ms", "--state", dir.resolve("s.json").toString(), "--postpone",
                "--events-json", "-", "--", "make", "-j4", "--keep-going");
        assertThat(c.roots()).containsExactly(a, b);
        assertThat(c.extensions()).containsExactly("java", "kt", "md");
        assertThat(c.includes()).containsExactly("src/**", "*.txt");
        assertThat(c.excludes()).containsExactly("build/", "*.log");
        assertThat(c.vcsIgnore()).isFalse();
        assertThat(c.deferVcs()).isFalse();
        assertThat(c.coalescing()).isEqualTo(Coalescing.window(Duration.ofSeconds(2), 7));
        assertThat(c.busyPolicy()).isEqualTo(BusyPolicy.RESTART);
        assertThat(c.stopTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.stateFile()).isEqualTo(dir.resolve("s.json"));
        assertThat(c.postpone()).isTrue();
        assertThat(c.eventsJson()).isEqualTo("-");
        assertThat(c.eventsFile()).isNull();
        assertThat(c.command()).containsExactly("make", "-j4", "--keep-going");
    }

    @Test
    void busyPolicyNamesMapToTheCorePolicies() {
        assertThat(parse("--on-busy", "drop").busyPolicy()).isEqualTo(BusyPolicy.DROP);
        runs.clear();
        assertThat(parse("--on-busy", "do-nothing").busyPolicy()).as("watchexec's name").isEqualTo(BusyPolicy.DROP);
        runs.clear();
        assertThat(parse("--on-busy", "queue").busyPolicy()).isEqualTo(BusyPolicy.QUEUE);
    }

    @Test
    void pollWithoutAValueScansEverySecond() {
        assertThat(parse("--poll", "--", "true").pollInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void settleReplacesTheWindowAndWaitsAtMostTenTimesAsLongByDefault() {
        RunConfig c = parse("--settle", "300ms");
        assertThat(c.coalescing()).isEqualTo(Coalescing.settle(Duration.ofMillis(300), Duration.ofSeconds(3)));
        runs.clear();
        assertThat(parse("--settle", "1s", "--max-wait", "4s").coalescing())
                .isEqualTo(Coalescing.settle(Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    @Test
    void theCommandStartsAtTheFirstPositionalSoItsOptionsStayItsOwn() {
        assertThat(parse("echo", "-w", "x").command()).containsExactly("echo", "-w", "x");
    }

    @Test
    void anEventsFileIsResolvedToAnAbsolutePath() {
        RunConfig c = parse("--events-json", dir.resolve("events.jsonl").toString());
        assertThat(c.eventsFile()).isEqualTo(dir.resolve("events.jsonl"));
    }

    @Test
    void helpListsEveryOptionOnStdoutAndExitsZero() {
        assertThat(exec("--help")).isZero();
        assertThat(out.toString()).contains("--watch", "--exts", "--filter", "--ignore", "--no-vcs-ignore",
                "--no-defer-vcs", "--window", "--settle", "--max-wait", "--max-batch", "--on-busy", "--stop-timeout",
                "--poll", "--state", "--postpone", "--events-json", "RWATCH_TICK", "RWATCH_CHANGES_FILE",
                "RWATCH_CHANGED_PATHS", "RWATCH_CHANGED_PATHS_OMITTED", "-r, --restart", "-s, --signal",
                "--stop-signal", "--timeout", "--exit-on-error", "-E, --env", "--workdir", "--shell",
                "-p, --postpone", "-q, --quiet", "-v, --verbose", "--delay-run", "-c, --clear", "--no-keys",
                "r runs COMMAND now", "q quits", "a file to watch alone");
        assertThat(out.toString()).as("options in sections, in this order")
                .containsSubsequence("What to watch:", "When a tick starts", "How COMMAND runs:",
                        "Changes while COMMAND runs, and stopping it:", "State and output:");
        assertThat(runs).isEmpty();
    }

    @Test
    void versionPrintsTheBuildVersion() {
        assertThat(exec("--version")).isZero();
        assertThat(out.toString()).startsWith("rwatch ").doesNotContain("${");
        assertThat(runs).isEmpty();
    }

    private void assertUsageError(String expected, String... args) {
        assertThat(exec(args)).isEqualTo(2);
        assertThat(runs).isEmpty();
        assertThat(err.toString()).startsWith("rwatch: ").contains(expected).endsWith(System.lineSeparator());
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    /** A command line rwatch rejects, and what its one line says. */
    private static Arguments bad(String expected, String... args) {
        return Arguments.of(String.join(" ", args), expected, args);
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                bad("Unknown option: '--wach'", "--wach", "."),
                bad("'fast' is not a duration", "--window", "fast"),
                bad("'soon' is not a duration", "--poll=soon"),
                bad("--window must be positive, was 0ms", "--window", "0ms"),
                bad("--settle must be positive, was 0ms", "--settle", "0s"),
                bad("--poll must be longer than zero", "--poll=0ms"),
                bad("use queue, drop, restart or signal", "--on-busy", "wait"),
                bad("--restart and --on-busy queue cannot be combined", "-r", "--on-busy", "queue"),
                bad("--signal and --on-busy restart cannot be combined", "--on-busy", "restart", "-s", "HUP"),
                bad("--signal and --restart cannot be combined", "--restart", "--signal", "USR1"),
                bad("'FOO' is not a signal", "--stop-signal", "FOO"),
                bad("'9' is not a signal", "-s", "9"),
                bad("--timeout must be longer than zero", "--timeout", "0s"),
                bad("'soon' is not a duration", "--delay-run", "soon"),
                bad("--shell needs a COMMAND", "--shell", "bash"),
                bad("--quiet and --verbose cannot be combined", "-q", "-v"),
                bad("KEY=VALUE", "-E", "JUST_A_NAME"),
                bad("--max-wait needs --settle", "--max-wait", "1s"),
                bad("--max-wait (500ms) must not be shorter than --settle (1s)",
                        "--settle", "1s", "--max-wait", "500ms"),
                bad("--window and --settle cannot be combined", "--window", "1s", "--settle", "1s"),
                bad("--max-batch must be at least 1, was 0", "--max-batch", "0"),
                bad("--max-batch and --settle cannot be combined", "--settle", "1s", "--max-batch", "100"),
                bad("--max-batch and --settle cannot be combined", "--max-batch", "100", "--settle", "300ms",
                        "--max-wait", "1s"),
                bad("--max-batch", "--max-batch", "many"),
                bad("--exts: empty extension", "-e", "java,,kt"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void aBadCommandLineIsOneLineAndExitTwo(String commandLine, String expected, String[] args) {
        assertUsageError(expected, args);
    }

    @Test
    void aMissingRootIsOneLineAndExitTwo() {
        Path missing = dir.resolve("nope");
        assertUsageError("watch root does not exist: " + missing, "-w", missing.toString());
    }

    @Test
    void aRootThatIsNeitherADirectoryNorARegularFileIsOneLineAndExitTwo() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        assertUsageError("watch root is neither a directory nor a regular file: " + fifo, "-w", fifo.toString());
    }

    @Test
    void clearWithoutACommandOrWithJsonOnStdoutIsOneLineAndExitTwo() {
        assertUsageError("--clear needs a COMMAND to run", "--clear");
        err.getBuffer().setLength(0);
        assertUsageError("--clear and --events-json - cannot be combined", "-c", "--events-json", "-", "--", "make");
    }

    @Test
    void theCoresCoalescingMessagesAreWrittenInTheOptionsTerms() {
        assertThat(Cli.inOptionTerms("maxWait (PT0.5S) must not be shorter than settle (PT1M)"))
                .isEqualTo("--max-wait (500ms) must not be shorter than --settle (1m)");
        assertThat(Cli.inOptionTerms("maxBatch must be at least 1, was 0")).isEqualTo("--max-batch must be at least 1, was 0");
        assertThat(Cli.inOptionTerms("window must be positive, was PT0S")).isEqualTo("--window must be positive, was 0ms");
    }

    @Test
    void aStateFileThatIsADirectoryIsRejected() {
        assertUsageError("is a directory", "--state", dir.toString());
    }

    @Test
    void anEventsFileInAMissingDirectoryIsRejected() {
        assertUsageError("cannot be written", "--events-json", dir.resolve("no/such/events.jsonl").toString());
    }
}
