package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Change;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.Hold;
import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RunnerTest {

    @TempDir
    Path root;
    @TempDir
    Path scratch;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final Shutdown shutdown = new Shutdown();
    private final List<Integer> halts = new CopyOnWriteArrayList<>();
    private volatile ScriptedSource source;
    private CompletableFuture<Integer> run;

    private RunConfig config(boolean postpone, String eventsJson, String... command) {
        return new RunConfig(List.of(root), List.of(), List.of(), List.of(), true, Coalescing.window(Duration.ofMillis(20)),
                BusyPolicy.QUEUE, Duration.ofSeconds(10), null, null, postpone, eventsJson, List.of(command));
    }

    private RunConfig config(BusyPolicy policy, RunConfig.CommandOptions options, RunConfig.Verbosity verbosity,
            String... command) {
        return new RunConfig(List.of(root), List.of(), List.of(), List.of(), true, Coalescing.window(Duration.ofMillis(20)),
                policy, Duration.ofSeconds(10), null, null, true, "-", List.of(command), options, verbosity);
    }

    private static RunConfig.CommandOptions options(Signal busySignal, boolean exitOnError) {
        return new RunConfig.CommandOptions(Signal.TERM, busySignal, null, exitOnError, Map.of(), null, null,
                Duration.ZERO);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    /** A JVM that reads file names as UTF-8, whatever the locale the tests run under. */
    private static final Map<String, String> UTF_8_JVM = Map.of("sun.jnu.encoding", "UTF-8");

    private Runner runner(WatchEngine.SourceFactory factory) {
        return runner(factory, UTF_8_JVM);
    }

    private Runner runner(WatchEngine.SourceFactory factory, Map<String, String> systemProperties) {
        Terminal terminal = new Terminal(new PrintStream(stderr, true, StandardCharsets.UTF_8), false);
        return new Runner(factory, new PrintStream(stdout, true, StandardCharsets.UTF_8), terminal, shutdown, halts::add,
                List::of, systemProperties::get);
    }

    /** The scripted source, remembered for the test to drive. */
    private WatchEngine.Source scripted(RunConfig c, List<Path> own) {
        source = new ScriptedSource(c, own);
        return source.asSource();
    }

    private void start(RunConfig config) {
        Runner runner = runner(this::scripted);
        run = CompletableFuture.supplyAsync(() -> runner.run(config));
    }

    private int stop() throws Exception {
        shutdown.request();
        return run.get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void endTheRun() throws Exception {
        if (run != null && !run.isDone()) {
            stop();
        }
    }

    private List<JsonNode> lines() {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : stdout.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(EventJson.MAPPER.readTree(line));
            }
        }
        return lines;
    }

    private List<String> types() {
        return lines().stream().map(n -> n.get("type").asString()).toList();
    }

    private long count(String type) {
        return types().stream().filter(type::equals).count();
    }

    @Test
    void reportsReadyThenOneTickPerBatchThenStopped() throws Exception {
        start(config(true, "-"));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.created(root.resolve("a.txt")));
        Await.until("a tick", () -> count("tick") == 1);

        assertThat(stop()).isZero();

        assertThat(types()).containsExactly("ready", "tick", "stopped");
        JsonNode ready = lines().get(0);
        assertThat(ready.get("roots").get(0).asString()).isEqualTo(root.toString());
        assertThat(ready.get("backend").asString()).isEqualTo("scripted");
        assertThat(ready.get("trackedFiles").asLong()).isEqualTo(7);
        JsonNode tick = lines().get(1);
        assertThat(tick.get("triggers").toString()).isEqualTo("[\"watch\"]");
        assertThat(tick.get("changes").get(0).get("path").asString()).isEqualTo("a.txt");
        assertThat(tick.get("outcome").asString()).isEqualTo("ok");
        assertThat(lines().get(2).get("pendingChanges").asInt()).isZero();
    }

    @Test
    void tickTimesAreOnTheWallClockAndSpanTheDuration() throws Exception {
        Instant before = Instant.now();
        start(config(false, "-", "sh", "-c", "exit 0"));
        Await.until("the start-up tick", () -> count("tick") == 1);
        Instant after = Instant.now();
        assertThat(stop()).isZero();
        JsonNode tick = lines().get(1);
        Instant startedAt = Instant.parse(tick.get("startedAt").asString());
        Instant finishedAt = Instant.parse(tick.get("finishedAt").asString());
        assertThat(startedAt).isBetween(before, after);
        assertThat(finishedAt).isBetween(startedAt, after);
        assertThat(Duration.between(startedAt, finishedAt).toMillis()).isEqualTo(tick.get("durationMs").asLong());
        assertThat(Instant.parse(lines().get(0).get("time").asString())).isBetween(before, after);
    }

    @Test
    void humanTickLinesFollowTheWatchingLine() throws Exception {
        start(config(false, null));
        Await.until("the start-up tick", () -> stderr.toString(StandardCharsets.UTF_8).contains("tick 1"));
        assertThat(stop()).isZero();
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(err.indexOf("rwatch: watching")).isLessThan(err.indexOf("rwatch: tick 1 [startup]"));
    }

    @Test
    void aTickThatWaitsForItsStateWriteSaysSoOnTheStatusLineAndRunsOnceTheWriteSucceeds() throws Exception {
        Path stateDir = scratch.resolve("state");
        Path away = scratch.resolve("state.away");
        RunConfig config = new RunConfig(List.of(root), List.of(), List.of(), List.of(), true,
                Coalescing.window(Duration.ofMillis(20)), BusyPolicy.QUEUE, Duration.ofSeconds(10), null,
                stateDir.resolve("state.json"), true, null, List.of());
        Terminal live = new Terminal(new PrintStream(stderr, true, StandardCharsets.UTF_8), true);
        Runner runner = new Runner(this::scripted, new PrintStream(stdout, true, StandardCharsets.UTF_8), live,
                shutdown, halts::add, List::of, UTF_8_JVM::get);
        run = CompletableFuture.supplyAsync(() -> runner.run(config));
        Await.until("the watching line", () -> err().contains("rwatch: watching"));

        // A regular file where the state's directory was: no write reaches the state, whoever runs the test.
        Files.move(stateDir, away);
        Files.writeString(stateDir, "in the way");
        source.emit(Change.created(root.resolve("a.txt")));
        Await.until("the status line to say the tick waits", () -> err().contains("rwatch: tick 1 waiting for state write"));
        assertThat(err()).as("not run while its changes are not on disk").doesNotContain("rwatch: tick 1 [");

        Files.delete(stateDir);
        Files.move(away, stateDir);
        Await.until("the tick to run", () -> err().contains("rwatch: tick 1 ["));
        assertThat(stop()).isZero();
        String err = err();
        assertThat(err.indexOf("rwatch: tick 1 waiting for state write")).isLessThan(err.indexOf("rwatch: tick 1 ["));
    }

    @Test
    void filesStdoutAndStderrAreRedirectedToAreHandedToTheSourceToBeIgnored() throws Exception {
        Path log = scratch.resolve("out.log");
        Terminal terminal = new Terminal(new PrintStream(stderr, true, StandardCharsets.UTF_8), false);
        Runner runner = new Runner(this::scripted, new PrintStream(stdout, true, StandardCharsets.UTF_8), terminal,
                shutdown, halts::add, () -> List.of(log), UTF_8_JVM::get);
        run = CompletableFuture.supplyAsync(() -> runner.run(config(true, null)));
        Await.until("the source", () -> source != null);
        assertThat(source.ownFiles).contains(log);
        assertThat(stop()).isZero();
    }

    @Test
    void aJvmThatDoesNotReadFileNamesAsUtf8IsOneWarningLineAndOneErrorEvent() throws Exception {
        Runner runner = runner(this::scripted, Map.of("sun.jnu.encoding", "ANSI_X3.4-1968", "file.encoding", "UTF-8"));
        run = CompletableFuture.supplyAsync(() -> runner.run(config(true, "-")));
        Await.until("ready", () -> count("ready") == 1);
        assertThat(stop()).isZero();

        assertThat(types()).containsExactly("ready", "error", "stopped");
        String message = lines().get(1).get("message").asString();
        assertThat(message).contains("ANSI_X3.4-1968", "not UTF-8", "misreported", "UTF-8 locale", "LANG=C.UTF-8");
        List<String> warnings = stderr.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("rwatch: warning:")).toList();
        assertThat(warnings).containsExactly("rwatch: warning: " + message);
        String err = stderr.toString(StandardCharsets.UTF_8);
        assertThat(err.indexOf("rwatch: warning:")).isLessThan(err.indexOf("rwatch: watching"));
    }

    /** Process control as on a system without setsid (macOS): the PATH it is detected from holds only kill. */
    private ProcessControl withoutSetsid() throws IOException {
        return ProcessControl.detect(Processes.binWithKillOnly(scratch).toString(), Path.of("/proc"));
    }

    @Test
    void withoutProcessGroupsACommandLineIsOneWarningAndOneErrorEvent() throws Exception {
        Runner runner = runner(this::scripted).withProcessControl(withoutSetsid());
        run = CompletableFuture.supplyAsync(() -> runner.run(config(true, "-", "true")));
        Await.until("ready", () -> count("ready") == 1);
        assertThat(stop()).isZero();

        assertThat(types()).containsExactly("ready", "error", "stopped");
        String message = lines().get(1).get("message").asString();
        assertThat(message).startsWith("setsid was not found on PATH");
        List<String> warnings = stderr.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("rwatch: warning:")).toList();
        assertThat(warnings).containsExactly("rwatch: warning: " + message);
    }

    @Test
    void withoutACommandMissingProcessGroupsAreNotWorthAWarning() throws Exception {
        Runner runner = runner(this::scripted).withProcessControl(withoutSetsid());
        run = CompletableFuture.supplyAsync(() -> runner.run(config(true, "-")));
        Await.until("ready", () -> count("ready") == 1);
        assertThat(stop()).isZero();
        assertThat(types()).containsExactly("ready", "stopped");
    }

    @Test
    void aJvmThatReadsFileNamesAsUtf8SaysNothingAboutIt() throws Exception {
        start(config(true, "-"));
        Await.until("ready", () -> count("ready") == 1);
        assertThat(stop()).isZero();
        assertThat(types()).containsExactly("ready", "stopped");
        assertThat(stderr.toString(StandardCharsets.UTF_8)).doesNotContain("warning");
    }

    @Test
    void withoutPostponeTheStartupTickRunsAndIsWrittenAfterReady() throws Exception {
        start(config(false, "-"));
        Await.until("the start-up tick", () -> count("tick") == 1);
        assertThat(stop()).isZero();
        assertThat(types()).containsExactly("ready", "tick", "stopped");
        assertThat(lines().get(1).get("triggers").toString()).isEqualTo("[\"startup\"]");
    }

    @Test
    void aFailingCommandIsAFailedTickWhoseChangesAreNotRetriedButStayPending() throws Exception {
        start(config(true, "-", "sh", "-c", "exit 4"));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));
        Await.until("a tick", () -> count("tick") == 1);

        assertThat(stop()).isZero();

        JsonNode tick = lines().get(1);
        assertThat(tick.get("outcome").asString()).isEqualTo("failed");
        assertThat(tick.get("exitCode").asInt()).isEqualTo(4);
        assertThat(types()).as("no retry tick").containsExactly("ready", "tick", "stopped");
        assertThat(lines().get(2).get("pendingChanges").asInt()).as("the failed tick's change").isEqualTo(1);
    }

    @Test
    void aFailedTicksChangesRideAlongWithTheNextTick() throws Exception {
        Path first = scratch.resolve("first-ran");
        // Fails the first time it runs, succeeds after.
        start(config(true, "-", "sh", "-c", "if [ -e \"$1\" ]; then exit 0; fi; : > \"$1\"; exit 5", "sh",
                first.toString()));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));
        Await.until("the failed tick", () -> count("tick") == 1);
        source.emit(Change.created(root.resolve("c.txt")));
        Await.until("the next tick", () -> count("tick") == 2);

        assertThat(stop()).isZero();

        JsonNode failed = lines().get(1);
        JsonNode next = lines().get(2);
        assertThat(failed.get("outcome").asString()).isEqualTo("failed");
        assertThat(failed.get("exitCode").asInt()).isEqualTo(5);
        assertThat(next.get("triggers").toString()).as("not a retry").isEqualTo("[\"watch\"]");
        assertThat(next.get("changes").findValuesAsString("path")).containsExactly("b.txt", "c.txt");
        assertThat(next.get("outcome").asString()).isEqualTo("ok");
        assertThat(next.get("exitCode").asInt()).isZero();
        assertThat(lines().get(3).get("pendingChanges").asInt()).isZero();
    }

    @Test
    void aFailingStartupTickIsATickLineNotAlsoAnErrorLine() throws Exception {
        start(config(false, "-", "sh", "-c", "exit 3"));
        Await.until("the start-up tick", () -> count("tick") == 1);
        assertThat(stop()).isZero();
        assertThat(types()).containsExactly("ready", "tick", "stopped");
        assertThat(lines().get(1).get("outcome").asString()).isEqualTo("failed");
        assertThat(lines().get(1).get("exitCode").asInt()).isEqualTo(3);
    }

    @Test
    void aCommandThatCannotStartIsAnErrorLineAndAFailedTick() throws Exception {
        start(config(false, "-", "/no/such/rwatch-command"));
        Await.until("a tick", () -> count("tick") == 1);
        assertThat(stop()).isZero();
        assertThat(types()).containsExactly("ready", "error", "tick", "stopped");
        assertThat(lines().get(1).get("message").asString()).startsWith("cannot run /no/such/rwatch-command");
        assertThat(lines().get(2).get("exitCode").isNull()).isTrue();
    }

    @Test
    void aSourceFailureIsReportedAsAnErrorLine() throws Exception {
        start(config(true, "-"));
        Await.until("ready", () -> count("ready") == 1);
        source.events.tryEmitError(new IOException("inotify watch limit reached"));
        Await.until("an error line", () -> count("error") == 1);
        assertThat(stop()).isZero();
        assertThat(lines().get(1).get("message").asString()).contains("inotify watch limit reached");
    }

    @Test
    void eachTickIsAlsoAHumanReadableLineOnStderr() throws Exception {
        start(config(true, null));
        Await.until("ready", () -> source != null && stderr.toString(StandardCharsets.UTF_8).contains("watching"));
        source.emit(Change.created(root.resolve("c.txt")));
        Await.until("a tick line", () -> stderr.toString(StandardCharsets.UTF_8).contains("rwatch: tick 1 [watch]"));
        assertThat(stop()).isZero();
        assertThat(stdout.size()).as("stdout belongs to the command").isZero();
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("1 change (+1 ~0 -0) in ").contains("| c.txt");
    }

    @Test
    void rwatchsOwnFilesAreHandedToTheSourceToBeIgnored() throws Exception {
        Path events = scratch.resolve("events.jsonl");
        start(config(true, events.toString()));
        Await.until("ready", () -> source != null && events.toFile().length() > 0);
        assertThat(source.ownFiles).contains(events);
        assertThat(source.ownFiles).anyMatch(p -> p.getFileName().toString().startsWith("rwatch-"));
        assertThat(stop()).isZero();
        assertThat(Files.readAllLines(events)).hasSize(2);
        assertThat(source.ownFiles).allMatch(p -> !Files.isDirectory(p), "temporary directory removed at exit");
    }

    @Test
    void theShutdownHookDoesNothingWhenNoRunStarted() {
        Runner runner = runner(this::scripted);
        runner.stopFromShutdownHook();
        assertThat(shutdown.requested()).isFalse();
    }

    @Test
    void theShutdownHookStopsARunGracefullyAndWaitsForIt() throws Exception {
        Runner runner = runner(this::scripted);
        run = CompletableFuture.supplyAsync(() -> runner.run(config(true, "-")));
        Await.until("ready", () -> count("ready") == 1);

        runner.stopFromShutdownHook();

        assertThat(types()).as("written before the hook returned").containsExactly("ready", "stopped");
        assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aSettingTheDaemonRejectsIsOneLineAndExitTwo() {
        Runner runner = runner((c, own) -> {
            throw new IllegalArgumentException("roots must not overlap: /a/b is inside /a");
        });
        assertThat(runner.run(config(true, "-"))).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEqualTo("rwatch: roots must not overlap: /a/b is inside /a"
                + System.lineSeparator());
        assertThat(stdout.size()).isZero();
    }

    @Test
    void aRootLostBeforeStartIsOneLineAndExitTwo() {
        // As the file source does: it checks its roots when the daemon opens it, in start().
        Runner runner = runner((c, own) -> new ScriptedSource(c, own) {
            @Override
            public List<SourceEvent> open(SourceContext context) {
                throw new IllegalArgumentException("watch root is not a readable directory: /r");
            }
        }.asSource());
        assertThat(runner.run(config(true, "-"))).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("rwatch: watch root is not a readable directory: /r");
        assertThat(stdout.size()).isZero();
    }

    @Test
    void exitOnErrorEndsRwatchWithTheFailedRunsStatusAndKeepsItsChanges() throws Exception {
        start(config(BusyPolicy.QUEUE, options(null, true), RunConfig.Verbosity.NORMAL, "sh", "-c", "exit 3"));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));

        assertThat(run.get(30, TimeUnit.SECONDS)).as("without a stop request").isEqualTo(3);

        assertThat(types()).containsExactly("ready", "tick", "stopped");
        assertThat(lines().get(1).get("exitCode").asInt()).isEqualTo(3);
        assertThat(lines().get(2).get("pendingChanges").asInt()).as("the failed run's change").isEqualTo(1);
        assertThat(err()).contains("rwatch: stopping after a run that failed (--exit-on-error); exit status 3");
    }

    @Test
    void exitOnErrorAfterACommandThatCannotStartIs127() throws Exception {
        start(config(BusyPolicy.QUEUE, options(null, true), RunConfig.Verbosity.NORMAL, "/no/such/rwatch-command"));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));
        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(127);
    }

    @Test
    void withoutExitOnErrorAFailedRunKeepsRwatchWatching() throws Exception {
        start(config(BusyPolicy.QUEUE, options(null, false), RunConfig.Verbosity.NORMAL, "sh", "-c", "exit 3"));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));
        Await.until("a tick", () -> count("tick") == 1);
        assertThat(run.isDone()).isFalse();
        assertThat(stop()).isZero();
    }

    @Test
    void quietLeavesOutTheWatchingStoppingAndTickLines() throws Exception {
        start(config(BusyPolicy.QUEUE, RunConfig.CommandOptions.DEFAULTS, RunConfig.Verbosity.QUIET, "true"));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));
        Await.until("a tick", () -> count("tick") == 1);
        assertThat(stop()).isZero();
        assertThat(err()).isEmpty();
    }

    @Test
    void verboseAlsoSaysHowEachRunStartsAndIsStopped() throws Exception {
        Path started = scratch.resolve("started");
        start(config(BusyPolicy.QUEUE, RunConfig.CommandOptions.DEFAULTS, RunConfig.Verbosity.VERBOSE, "sh", "-c",
                ": > \"$1\"; sleep 30 & wait", "sh", started.toString()));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));
        Await.until("the command to start", () -> Files.exists(started));
        assertThat(stop()).isZero();
        assertThat(err()).contains("rwatch: tick 1: started sh -c ").contains(" as pid ")
                .contains("rwatch: tick 1: sending TERM to ").contains(", which gets 10s to end");
    }

    @Test
    void theStartAndStopLinesSayWhetherACommandRuns() throws Exception {
        start(config(true, null));
        Await.until("ready", () -> err().contains("watching"));
        assertThat(stop()).isZero();
        assertThat(err()).contains(", no command; Ctrl-C to stop").contains("rwatch: stopping" + System.lineSeparator())
                .doesNotContain("gets");
    }

    @Test
    void theStopLineOfARunningCommandSaysWhatItGets() throws Exception {
        Path started = scratch.resolve("started");
        start(config(true, null, "sh", "-c", ": > \"$1\"; sleep 30 & wait", "sh", started.toString()));
        Await.until("ready", () -> err().contains("watching"));
        source.emit(Change.modified(root.resolve("b.txt")));
        Await.until("the command to start", () -> Files.exists(started));
        assertThat(stop()).isZero();
        assertThat(err()).contains(", running sh -c ': > \"$1\"; sleep 30 & wait' sh " + started + "; Ctrl-C to stop")
                .contains("rwatch: stopping; the running command gets TERM and 10s to end before it is killed");
    }

    @Test
    void aDroppedBatchSaysHowManyChangesItDropped() throws Exception {
        Path started = scratch.resolve("started");
        Path go = scratch.resolve("go");
        start(config(BusyPolicy.DROP, RunConfig.CommandOptions.DEFAULTS, RunConfig.Verbosity.NORMAL, "sh", "-c",
                ": > \"$1\"; while [ ! -e \"$2\" ]; do sleep 0.02; done", "sh", started.toString(), go.toString()));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("a.txt")));
        Await.until("the command to start", () -> Files.exists(started));
        source.emit(Change.modified(root.resolve("b.txt")));
        source.emit(Change.modified(root.resolve("c.txt")));
        Files.writeString(go, "");
        Await.until("the dropped line", () -> err().contains("rwatch: dropped"));
        assertThat(stop()).isZero();
        assertThat(err()).contains("rwatch: dropped 2 changes that arrived while the command ran (--on-busy drop)");
        assertThat(err().indexOf("rwatch: tick 1 ")).as("after the tick's line").isLessThan(err().indexOf("rwatch: dropped"));
        assertThat(types()).containsExactly("ready", "tick", "stopped");
    }

    @Test
    void onBusySignalSignalsTheRunningCommandAndItsNextRunGetsTheChanges() throws Exception {
        Path started = scratch.resolve("started");
        Path hup = scratch.resolve("hup");
        // Run 1 waits for SIGHUP, then ends (its sleep, in the same group, dies of the SIGHUP); run 2 ends at once.
        start(config(BusyPolicy.QUEUE, options(Signal.HUP, false), RunConfig.Verbosity.NORMAL, "sh", "-c",
                "if [ \"$RWATCH_TICK\" = 1 ]; then trap ': > \"$2\"' HUP; : > \"$1\"; "
                        + "while [ ! -e \"$2\" ]; do sleep 0.02; done; fi; exit 0", "sh", started.toString(),
                hup.toString()));
        Await.until("ready", () -> count("ready") == 1);
        source.emit(Change.modified(root.resolve("a.txt")));
        Await.until("the command to start", () -> Files.exists(started));
        source.emit(Change.modified(root.resolve("b.txt")));
        Await.until("the second run", () -> count("tick") == 2);
        assertThat(stop()).isZero();

        assertThat(hup).as("run 1 saw SIGHUP").exists();
        JsonNode first = lines().get(1);
        JsonNode second = lines().get(2);
        assertThat(first.get("outcome").asString()).as("signalled, not restarted").isEqualTo("ok");
        assertThat(second.get("changes").findValuesAsString("path")).containsExactly("b.txt");
        assertThat(err()).contains("rwatch: tick 1: sent HUP to the running command; 1 change waits for its next run");
    }

    @Test
    void eachHoldThatKeepsChangesWaitingIsSaidOnceOnStderrAndAsAHeldLine() throws Exception {
        start(config(true, "-"));
        Await.until("ready", () -> count("ready") == 1);
        source.context.hold("git operation in progress (index.lock)").close(); // kept nothing waiting
        Hold rebase = source.context.hold("git rebase in progress");
        source.emit(Change.modified(root.resolve("a.txt")));
        Await.until("the held line", () -> count("held") == 1);
        source.emit(Change.modified(root.resolve("b.txt")));
        rebase.close();
        Await.until("the tick after the hold", () -> count("tick") == 1);
        Hold again = source.context.hold("git rebase in progress");
        source.emit(Change.modified(root.resolve("c.txt")));
        Await.until("the second hold's line", () -> count("held") == 2);
        again.close();
        Await.until("the second tick", () -> count("tick") == 2);

        assertThat(stop()).isZero();

        assertThat(types()).containsExactly("ready", "held", "tick", "held", "tick", "stopped");
        JsonNode held = lines().get(1);
        assertThat(held.get("reason").asString()).isEqualTo("git rebase in progress");
        assertThat(Instant.parse(held.get("since").asString()))
                .isBeforeOrEqualTo(Instant.parse(held.get("time").asString()));
        assertThat(lines().get(2).get("changes").findValuesAsString("path"))
                .as("what arrived while held, in one tick").containsExactlyInAnyOrder("a.txt", "b.txt");
        assertThat(err().split("rwatch: held: git rebase in progress", -1)).as("said once per hold").hasSize(3);
        assertThat(err()).doesNotContain("index.lock");
    }

    @Test
    void quietSaysNothingOfHoldsButTheJsonStillDoes() throws Exception {
        start(config(BusyPolicy.QUEUE, RunConfig.CommandOptions.DEFAULTS, RunConfig.Verbosity.QUIET));
        Await.until("ready", () -> count("ready") == 1);
        Hold hold = source.context.hold("git merge in progress");
        source.emit(Change.modified(root.resolve("a.txt")));
        Await.until("the held line", () -> count("held") == 1);
        hold.close();
        Await.until("the tick", () -> count("tick") == 1);

        assertThat(stop()).isZero();

        assertThat(err()).doesNotContain("held");
    }

    @Test
    void aSecondInterruptKillsTheCommandAndHaltsWith130() throws Exception {
        Path started = scratch.resolve("started");
        start(config(false, "-", "sh", "-c", "trap '' TERM; : > \"$1\"; while :; do :; done", "sh",
                started.toString()));
        Await.until("the command to start", () -> Files.exists(started));
        shutdown.interrupt();

        shutdown.interrupt();

        assertThat(halts).containsExactly(130);
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(lines()).anyMatch(n -> n.get("type").asString().equals("error")
                && n.get("message").asString().contains("second interrupt"));
    }

    // ------------------------------------------------------------------ the terminal: keys and --clear

    private RunConfig config(boolean clear, boolean keys, String eventsJson, String... command) {
        return new RunConfig(List.of(root), List.of(), List.of(), List.of(), true, Coalescing.window(Duration.ofMillis(20)),
                BusyPolicy.QUEUE, Duration.ofSeconds(10), null, null, true, eventsJson, List.of(command),
                RunConfig.CommandOptions.DEFAULTS, RunConfig.Verbosity.NORMAL, clear, keys, true);
    }

    /** Keys typed on the test's terminal (a new one per run). */
    private java.io.PipedOutputStream typing;

    private void type(String keys) throws IOException {
        typing.write(keys.getBytes(StandardCharsets.US_ASCII));
        typing.flush();
    }

    /** A run on a terminal: stdin is {@code mode}'s (keys typed with {@link #type}), stderr shows the status line. */
    private void startOnATerminal(RecordingMode mode, boolean stdoutIsTerminal, RunConfig config) throws IOException {
        typing = new java.io.PipedOutputStream();
        Tty tty = new Tty(mode, new java.io.PipedInputStream(typing), () -> stdoutIsTerminal);
        Terminal terminal = new Terminal(new PrintStream(stderr, true, StandardCharsets.UTF_8), true);
        Runner runner = new Runner(this::scripted, new PrintStream(stdout, true, StandardCharsets.UTF_8), terminal,
                shutdown, halts::add, List::of, UTF_8_JVM::get).withTty(tty);
        run = CompletableFuture.supplyAsync(() -> runner.run(config));
    }

    @Test
    void onATerminalRRunsATickAtOnceAndQStopsGracefullyWithTheTerminalsSettingsBack() throws Exception {
        RecordingMode terminal = new RecordingMode("saved", true);
        startOnATerminal(terminal, false, config(false, true, "-"));
        Await.until("ready", () -> count("ready") == 1);

        type("r");
        Await.until("the manual tick", () -> count("tick") == 1);
        type("q");

        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(types()).containsExactly("ready", "tick", "stopped");
        assertThat(lines().get(1).get("triggers").toString()).isEqualTo("[\"manual\"]");
        assertThat(err()).contains("rwatch: stopping");
        assertThat(terminal.calls).containsExactly("save", "single keys", "restore saved");
    }

    @Test
    void pPausesTicksWhileChangesAccumulateAndPAgainRunsOneTickWithAllOfThem() throws Exception {
        startOnATerminal(new RecordingMode("saved", true), false, config(false, true, "-"));
        Await.until("ready", () -> count("ready") == 1);

        type("p");
        Await.until("paused", () -> err().contains("rwatch: paused"));
        source.emit(Change.created(root.resolve("a.txt")));
        source.emit(Change.created(root.resolve("b.txt")));
        Await.until("the held line", () -> count("held") == 1);
        type("r"); // a manual tick asked for while paused waits too
        assertThat(count("tick")).as("no tick while paused").isZero();
        assertThat(err()).contains("rwatch: held: " + Runner.PAUSED);

        type("p");
        Await.until("the tick on resume", () -> count("tick") == 1);
        type("q");
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(types()).containsExactly("ready", "held", "tick", "stopped");
        assertThat(lines().get(2).get("changes").size()).isEqualTo(2);
        assertThat(err()).contains("rwatch: resumed");
    }

    @Test
    void theStatusLineNamesTheKeysWhenTheyAreRead() throws Exception {
        startOnATerminal(new RecordingMode("saved", true), false, config(false, true, null));
        Await.until("the status line", () -> err().contains("rwatch: idle"));
        assertThat(stop()).isZero();
        assertThat(err()).contains("| " + StatusLine.KEYS).contains("Ctrl-C to stop (" + StatusLine.KEYS + ")");
    }

    @Test
    void whenStdinIsNoTerminalTheStatusLineNamesNoKeys() throws Exception {
        startOnATerminal(new RecordingMode(null, true), false, config(false, true, null));
        Await.until("the status line", () -> err().contains("rwatch: idle"));
        assertThat(stop()).isZero();
        assertThat(err()).doesNotContain("keys:");
    }

    @Test
    void withNoKeysTheTerminalIsLeftAlone() throws Exception {
        RecordingMode terminal = new RecordingMode("saved", true);
        startOnATerminal(terminal, false, config(false, false, null));
        Await.until("the status line", () -> err().contains("rwatch: idle"));
        type("q");
        assertThat(stop()).isZero();
        assertThat(terminal.calls).isEmpty();
        assertThat(err()).doesNotContain("keys:");
    }

    @Test
    void whileKeysAreReadTheCommandsStdinIsDevNull() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "/proc");
        Path input = scratch.resolve("stdin");
        RunConfig startupRun = new RunConfig(List.of(root), List.of(), List.of(), List.of(), true,
                Coalescing.window(Duration.ofMillis(20)), BusyPolicy.QUEUE, Duration.ofSeconds(10), null, null, false,
                "-", List.of("sh", "-c", "readlink /proc/$$/fd/0 > \"$1\"", "sh", input.toString()),
                RunConfig.CommandOptions.DEFAULTS, RunConfig.Verbosity.NORMAL, false, true, true);
        startOnATerminal(new RecordingMode("saved", true), false, startupRun);
        Await.until("the start-up run", () -> count("tick") == 1);
        assertThat(stop()).isZero();
        assertThat(Files.readString(input).strip()).isEqualTo("/dev/null");
    }

    @Test
    void withClearTheScreenIsClearedBeforeEachRunWhenStdoutIsATerminal() throws Exception {
        startOnATerminal(new RecordingMode(null, true), true, config(true, true, null, "true"));
        Await.until("ready", () -> err().contains("rwatch: watching"));
        source.emit(Change.created(root.resolve("a.txt")));
        Await.until("the run's tick line", () -> err().contains("rwatch: tick 1"));
        source.emit(Change.created(root.resolve("b.txt")));
        Await.until("the second run's tick line", () -> err().contains("rwatch: tick 2"));
        assertThat(stop()).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8))
                .isEqualTo(Terminal.CLEAR_SCREEN + Terminal.CLEAR_SCREEN);
    }

    @Test
    void withClearButStdoutNoTerminalTheScreenIsNeverCleared() throws Exception {
        startOnATerminal(new RecordingMode(null, true), false, config(true, true, null, "true"));
        Await.until("ready", () -> err().contains("rwatch: watching"));
        source.emit(Change.created(root.resolve("a.txt")));
        Await.until("the run's tick line", () -> err().contains("rwatch: tick 1"));
        assertThat(stop()).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aSecondInterruptPutsTheTerminalsSettingsBackBeforeItHalts() throws Exception {
        RecordingMode terminal = new RecordingMode("saved", true);
        Path started = scratch.resolve("started");
        RunConfig startupRun = new RunConfig(List.of(root), List.of(), List.of(), List.of(), true,
                Coalescing.window(Duration.ofMillis(20)), BusyPolicy.QUEUE, Duration.ofSeconds(10), null, null, false,
                "-", List.of("sh", "-c", "trap '' TERM; : > \"$1\"; while :; do :; done", "sh", started.toString()),
                RunConfig.CommandOptions.DEFAULTS, RunConfig.Verbosity.NORMAL, false, true, true);
        startOnATerminal(terminal, false, startupRun);
        Await.until("the command to start", () -> Files.exists(started));
        shutdown.interrupt();

        shutdown.interrupt();

        assertThat(halts).containsExactly(130);
        assertThat(terminal.calls).containsExactly("save", "single keys", "restore saved");
        assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(terminal.calls).as("restored once").hasSize(3);
    }
}
