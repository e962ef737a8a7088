package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.Trigger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

class CommandReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path root;
    @TempDir
    Path work;
    @TempDir
    Path out;

    private final Terminal terminal = new Terminal(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);

    private CommandReconciler reconciler(Duration stopTimeout, String... command) {
        CommandReconciler r = new CommandReconciler(List.of(command), stopTimeout, work, terminal);
        r.bind(new Roots(List.of(root)));
        return r;
    }

    private Tick tick(long number, Change... changes) {
        return new Tick(number, EnumSet.of(Trigger.WATCH), ChangeSet.of(changes));
    }

    /** Whether the shell has written the whole line ({@code echo} ends it with a newline). */
    private static boolean written(Path file) {
        try {
            return Files.exists(file) && Files.readString(file).endsWith("\n");
        } catch (IOException e) {
            return false;
        }
    }

    private static long readPid(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    private static boolean alive(long pid) {
        return Processes.running(pid);
    }

    @Test
    void withoutACommandATickCompletesEmpty() {
        CommandResult r = reconciler(Duration.ofSeconds(1)).reconcile(tick(1)).block(WAIT);
        assertThat(r).isNull();
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void theCommandSeesTheTickNumberTheChangesFileAndTheChangedPaths() throws IOException {
        Path a = root.resolve("a.txt");
        Path b = root.resolve("sub/b.txt");
        CommandReconciler r = reconciler(Duration.ofSeconds(1), "sh", "-c",
                "printf %s \"$RWATCH_TICK\" > \"$1\"; cat \"$RWATCH_CHANGES_FILE\" > \"$2\"; "
                        + "printf %s \"$RWATCH_CHANGED_PATHS\" > \"$3\"",
                "sh", out.resolve("tick").toString(), out.resolve("changes.json").toString(),
                out.resolve("paths").toString());

        CommandResult result = r.reconcile(tick(7, Change.created(a), Change.deleted(b))).block(WAIT);

        assertThat(result).isEqualTo(CommandResult.exited(0));
        assertThat(Files.readString(out.resolve("tick"))).isEqualTo("7");
        assertThat(Files.readString(out.resolve("paths"))).isEqualTo(a + "\n" + b);
        JsonNode json = EventJson.MAPPER.readTree(out.resolve("changes.json"));
        assertThat(json.get("tick").asLong()).isEqualTo(7);
        assertThat(json.get("changes").toString()).isEqualTo("["
                + "{\"root\":\"" + root + "\",\"path\":\"a.txt\",\"kind\":\"created\",\"type\":\"file\"},"
                + "{\"root\":\"" + root + "\",\"path\":\"sub/b.txt\",\"kind\":\"deleted\",\"type\":\"file\"}]");
    }

    @Test
    void onceItsInputIsDetachedTheCommandReadsDevNullNotRwatchsStdin() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "/proc tells what a descriptor is");
        Path input = out.resolve("stdin");
        CommandReconciler r = reconciler(Duration.ofSeconds(1), "sh", "-c", "readlink /proc/$$/fd/0 > \"$1\"", "sh",
                input.toString());

        r.detachInput();
        assertThat(r.reconcile(tick(1)).block(WAIT)).isEqualTo(CommandResult.exited(0));

        assertThat(Files.readString(input).strip()).isEqualTo("/dev/null");
    }

    @Test
    void theChangesFileIsRemovedOnceTheCommandEnds() {
        CommandReconciler r = reconciler(Duration.ofSeconds(1), "true");
        r.reconcile(tick(1, Change.modified(root.resolve("x")))).block(WAIT);
        Await.until("the change file to go", () -> !Files.exists(work.resolve("tick-1.json")));
    }

    /** The result the reconcile failed with: a command that did not exit 0 fails the tick. */
    private static CommandResult failure(CommandReconciler r, Tick tick) {
        CommandResult[] result = new CommandResult[1];
        StepVerifier.create(r.reconcile(tick))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(CommandFailure.class);
                    result[0] = ((CommandFailure) e).result();
                })
                .verify(WAIT);
        return result[0];
    }

    @Test
    void aNonZeroExitFailsTheReconcileWithTheExitCode() {
        CommandReconciler r = reconciler(Duration.ofSeconds(1), "sh", "-c", "exit 3");
        CommandResult result = failure(r, tick(1));
        assertThat(result).isEqualTo(CommandResult.exited(3));
        assertThat(result.succeeded()).isFalse();
        assertThat(new CommandFailure(result)).hasMessage("exit status 3");
    }

    @Test
    void aCommandThatCannotStartFailsTheReconcileSayingWhy() {
        CommandResult result = failure(reconciler(Duration.ofSeconds(1), "/no/such/program-rwatch"), tick(1));
        assertThat(result.exitCode()).isNull();
        assertThat(result.failure()).startsWith("cannot run /no/such/program-rwatch");
        assertThat(new CommandFailure(result)).hasMessageStartingWith("cannot run /no/such/program-rwatch");
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void cancellingStopsTheCommandAndItsChildrenBeforeReturning() throws IOException {
        Path pid = out.resolve("pid");
        Path childPid = out.resolve("child");
        CommandReconciler r = reconciler(Duration.ofSeconds(5), "sh", "-c",
                "sleep 30 & echo $! > \"$2\"; echo $$ > \"$1\"; wait", "sh", pid.toString(), childPid.toString());
        Disposable run = r.reconcile(tick(1)).subscribe();
        Await.until("the command to start", () -> written(pid) && written(childPid));
        long shell = readPid(pid);
        long child = readPid(childPid);

        run.dispose();

        assertThat(alive(shell)).as("command alive after cancel returned").isFalse();
        assertThat(alive(child)).as("its child alive after cancel returned").isFalse();
    }

    @Test
    void theCommandLeadsAProcessGroupOfItsOwn() throws IOException {
        assumeTrue(ProcessControl.detect().groups(), "process groups need setsid, a kill program and /proc");
        Path stat = out.resolve("stat");
        CommandReconciler r = reconciler(Duration.ofSeconds(1), "sh", "-c", "echo $$ $(cut -d' ' -f5 /proc/$$/stat) > \"$1\"",
                "sh", stat.toString());
        assertThat(r.reconcile(tick(1)).block(WAIT)).isEqualTo(CommandResult.exited(0));
        String[] pidAndGroup = Files.readString(stat).strip().split(" ");
        assertThat(pidAndGroup[1]).as("process group id").isEqualTo(pidAndGroup[0]);
    }

    @Test
    void cancellingReachesAnOrphanedGrandchildThatIgnoresSigtermAndReturnsOnlyOnceItIsGone() throws IOException {
        assumeTrue(ProcessControl.detect().groups(), "process groups need setsid, a kill program and /proc");
        Path pid = out.resolve("pid");
        Path orphan = out.resolve("orphan");
        // The subshell starts the sleep and ends at once: the sleep's parent is gone, it is no descendant of
        // the command any more, only a member of its group. It ignores SIGTERM, so only SIGKILL ends it.
        CommandReconciler r = reconciler(Duration.ofMillis(300), "sh", "-c",
                "(trap '' TERM; sleep 30 & echo $! > \"$2\"); echo $$ > \"$1\"; sleep 30 & wait",
                "sh", pid.toString(), orphan.toString());
        Disposable run = r.reconcile(tick(1)).subscribe();
        Await.until("the command to start", () -> written(pid) && written(orphan));
        long orphanPid = readPid(orphan);
        assertThat(ProcessHandle.of(readPid(pid)).orElseThrow().descendants().map(ProcessHandle::pid))
                .as("the orphan is out of the command's tree").doesNotContain(orphanPid);

        run.dispose();

        assertThat(alive(readPid(pid))).as("command alive after cancel returned").isFalse();
        assertThat(alive(orphanPid)).as("orphaned grandchild alive after cancel returned").isFalse();
    }

    @Test
    void withoutProcessGroupsTheCommandAndTheDescendantsItHasAreStillStopped() throws IOException {
        assumeTrue(ProcessControl.onPath("kill", System.getenv("PATH")) != null, "a kill program");
        Path bin = Processes.binWithKillOnly(out);
        ProcessControl noSetsid = ProcessControl.detect(bin.toString(), Path.of("/proc"));
        assertThat(noSetsid.groups()).isFalse();
        assertThat(noSetsid.warning()).startsWith("setsid was not found on PATH");
        Path pid = out.resolve("pid");
        Path childPid = out.resolve("child");
        CommandReconciler r = new CommandReconciler(List.of("sh", "-c",
                "sleep 30 & echo $! > \"$2\"; echo $$ > \"$1\"; wait", "sh", pid.toString(), childPid.toString()),
                Duration.ofSeconds(5), Signal.TERM, noSetsid, work, terminal);
        r.bind(new Roots(List.of(root)));
        Disposable run = r.reconcile(tick(1)).subscribe();
        Await.until("the command to start", () -> written(pid) && written(childPid));

        run.dispose();

        assertThat(alive(readPid(pid))).as("command alive after cancel returned").isFalse();
        assertThat(alive(readPid(childPid))).as("its child alive after cancel returned").isFalse();
    }

    @Test
    void aCommandIgnoringSigtermIsKilledOnceTheStopTimeoutIsOver() throws IOException {
        Path pid = out.resolve("pid");
        Duration stopTimeout = Duration.ofMillis(300);
        CommandReconciler r = reconciler(stopTimeout, "sh", "-c",
                "trap '' TERM; echo $$ > \"$1\"; while :; do :; done", "sh", pid.toString());
        Disposable run = r.reconcile(tick(1)).subscribe();
        Await.until("the command to start", () -> written(pid));
        long shell = readPid(pid);

        long before = System.nanoTime();
        run.dispose();
        long tookNanos = System.nanoTime() - before;

        assertThat(alive(shell)).isFalse();
        assertThat(Duration.ofNanos(tookNanos)).isGreaterThanOrEqualTo(stopTimeout);
    }

    private CommandReconciler reconciler(RunConfig.CommandOptions options, Duration stopTimeout, String... command) {
        CommandReconciler r = new CommandReconciler(List.of(command), stopTimeout, options, ProcessControl.detect(),
                work, terminal, m -> { });
        r.bind(new Roots(List.of(root)));
        return r;
    }

    private static RunConfig.CommandOptions options(Signal stopSignal, Map<String, String> env, Path workdir,
            String shell, Duration delayRun) {
        return new RunConfig.CommandOptions(stopSignal, null, null, false, env, workdir, shell, delayRun);
    }

    @Test
    void aRunIsStoppedWithTheStopSignal() throws IOException {
        Path seen = out.resolve("seen");
        CommandReconciler r = reconciler(options(new Signal("INT"), Map.of(), null, null, Duration.ZERO),
                Duration.ofSeconds(10), "sh", "-c",
                "trap 'echo INT > \"$1\"; exit 130' INT; trap 'echo TERM > \"$1\"; exit 143' TERM; "
                        + ": > \"$1.started\"; sleep 30 & wait", "sh", seen.toString());
        Disposable run = r.reconcile(tick(1)).subscribe();
        Await.until("the command to start", () -> Files.exists(out.resolve("seen.started")));

        run.dispose();

        assertThat(Files.readString(seen).strip()).isEqualTo("INT");
    }

    @Test
    void theCommandGetsTheExtraEnvironmentAndRunsInTheWorkdirButRwatchsOwnVariablesWin() throws IOException {
        Path dir = Files.createDirectory(out.resolve("dir"));
        Path result = out.resolve("result");
        CommandReconciler r = reconciler(options(Signal.TERM, Map.of("GREETING", "hello there", "RWATCH_TICK", "0"),
                dir, null, Duration.ZERO), Duration.ofSeconds(1), "sh", "-c",
                "printf '%s|%s|%s' \"$GREETING\" \"$RWATCH_TICK\" \"$(pwd -P)\" > \"$1\"", "sh", result.toString());

        assertThat(r.reconcile(tick(4)).block(WAIT)).isEqualTo(CommandResult.exited(0));

        assertThat(Files.readString(result)).isEqualTo("hello there|4|" + dir.toRealPath());
    }

    @Test
    void aRelativeProgramIsFoundInTheWorkdir() throws IOException {
        Path dir = Files.createDirectory(out.resolve("dir"));
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\n: > \"$1\"\n");
        script.toFile().setExecutable(true);
        Path ran = out.resolve("ran");
        CommandReconciler r = reconciler(options(Signal.TERM, Map.of(), dir, null, Duration.ZERO),
                Duration.ofSeconds(1), "./run.sh", ran.toString());
        assertThat(r.reconcile(tick(1)).block(WAIT)).isEqualTo(CommandResult.exited(0));
        assertThat(ran).exists();
    }

    @Test
    void withAShellTheWordsRunAsOneScript() throws IOException {
        Path result = out.resolve("result");
        CommandReconciler r = reconciler(options(Signal.TERM, Map.of(), null, "sh", Duration.ZERO),
                Duration.ofSeconds(1), "echo", "$RWATCH_TICK", "&&", "echo", "done", ">", result.toString());
        assertThat(r.reconcile(tick(9)).block(WAIT)).isEqualTo(CommandResult.exited(0));
        assertThat(Files.readString(result)).isEqualTo("done\n");
    }

    @Test
    void aRunCancelledWhileItsDelayRunsStartsNothing() {
        Path ran = out.resolve("ran");
        CommandReconciler r = reconciler(options(Signal.TERM, Map.of(), null, null, Duration.ofMinutes(1)),
                Duration.ofSeconds(1), "sh", "-c", ": > \"$1\"", "sh", ran.toString());
        Disposable run = r.reconcile(tick(1)).subscribe();
        assertThat(r.commandRunning()).isFalse();

        run.dispose();

        assertThat(r.commandRunning()).isFalse();
        assertThat(ran).doesNotExist();
        assertThat(work).as("no change file written").isEmptyDirectory();
    }

    @Test
    void aDelayedRunStartsOnceTheDelayIsOver() {
        Path ran = out.resolve("ran");
        CommandReconciler r = reconciler(options(Signal.TERM, Map.of(), null, null, Duration.ofMillis(100)),
                Duration.ofSeconds(1), "sh", "-c", ": > \"$1\"", "sh", ran.toString());
        assertThat(r.reconcile(tick(1)).block(WAIT)).isEqualTo(CommandResult.exited(0));
        assertThat(ran).exists();
    }

    @Test
    void signalRunningSignalsTheRunningCommandAndLeavesItRunning() throws IOException {
        Path hups = out.resolve("hups");
        Path started = out.resolve("started");
        CommandReconciler r = reconciler(Duration.ofSeconds(5), "sh", "-c",
                "trap 'echo hup >> \"$1\"' HUP; : > \"$2\"; while :; do sleep 0.05; done", "sh", hups.toString(),
                started.toString());
        assertThat(r.signalRunning(Signal.HUP)).as("nothing runs yet").isEqualTo(-1);
        Disposable run = r.reconcile(tick(3)).subscribe();
        Await.until("the command to start", () -> Files.exists(started) && r.commandRunning());

        assertThat(r.signalRunning(Signal.HUP)).isEqualTo(3);
        Await.until("the command to see SIGHUP", () -> written(hups));
        assertThat(r.commandRunning()).isTrue();
        run.dispose();
        assertThat(r.commandRunning()).isFalse();
    }

    @Test
    void killNowEndsTheRunningCommandAtOnce() throws IOException {
        Path pid = out.resolve("pid");
        CommandReconciler r = reconciler(Duration.ofSeconds(30), "sh", "-c",
                "trap '' TERM; echo $$ > \"$1\"; while :; do :; done", "sh", pid.toString());
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        r.reconcile(tick(1)).subscribe(v -> { }, errors::add);
        Await.until("the command to start", () -> written(pid));

        r.killNow();

        Await.until("the command to end", () -> !errors.isEmpty());
        assertThat(errors.get(0)).isInstanceOfSatisfying(CommandFailure.class,
                f -> assertThat(f.result().exitCode()).isEqualTo(137));
    }

    @Test
    void afterKillNowNoCommandStarts() {
        CommandReconciler r = reconciler(Duration.ofSeconds(1), "sh", "-c", ": > \"$1\"", "sh",
                out.resolve("ran").toString());
        r.killNow();
        CommandResult result = failure(r, tick(1));
        assertThat(result.failure()).contains("rwatch is exiting");
        assertThat(out.resolve("ran")).doesNotExist();
    }

    @Test
    void changedPathsAreLeftOutOfTheEnvironmentAbove64KiB() {
        List<Change> many = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            many.add(Change.modified(root.resolve("some/fairly/long/directory/name/file-" + i + ".txt")));
        }
        Tick big = tick(1, many.toArray(new Change[0]));
        assertThat(CommandReconciler.changedPaths(big).list().length()).isGreaterThan(CommandReconciler.MAX_CHANGED_PATHS_BYTES);
        Map<String, String> env = new HashMap<>();
        env.put("RWATCH_CHANGED_PATHS", "inherited from an outer rwatch");

        CommandReconciler.putEnvironment(env, big, work.resolve("tick-1.json"));

        assertThat(env).containsEntry("RWATCH_TICK", "1")
                .containsEntry("RWATCH_CHANGES_FILE", work.resolve("tick-1.json").toString())
                .doesNotContainKey("RWATCH_CHANGED_PATHS")
                .containsEntry("RWATCH_CHANGED_PATHS_OMITTED", "2000");
    }

    @Test
    void changedPathsUpTo64KiBAreInTheEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("RWATCH_CHANGED_PATHS_OMITTED", "5");
        CommandReconciler.putEnvironment(env, tick(2, Change.created(root.resolve("a"))), work.resolve("f"));
        assertThat(env).containsEntry("RWATCH_CHANGED_PATHS", root.resolve("a").toString())
                .as("an outer rwatch's count is replaced").containsEntry("RWATCH_CHANGED_PATHS_OMITTED", "0");
    }

    @Test
    void aPathWhoseNameHoldsANewlineIsLeftOutOfTheListAndCounted() {
        Path plain = root.resolve("plain.txt");
        Path twoLines = root.resolve("two\nlines.txt");
        Path inDir = root.resolve("dir\nname").resolve("x.txt");
        Map<String, String> env = new HashMap<>();
        CommandReconciler.putEnvironment(env, tick(3, Change.created(twoLines), Change.modified(plain),
                Change.deleted(inDir)), work.resolve("tick-3.json"));
        assertThat(env).containsEntry("RWATCH_CHANGED_PATHS", plain.toString())
                .containsEntry("RWATCH_CHANGED_PATHS_OMITTED", "2");
    }

    @Test
    void whenEveryPathHoldsANewlineTheListIsEmptyAndAllAreCounted() {
        Map<String, String> env = new HashMap<>();
        CommandReconciler.putEnvironment(env, tick(4, Change.created(root.resolve("a\nb"))), work.resolve("f"));
        assertThat(env).containsEntry("RWATCH_CHANGED_PATHS", "").containsEntry("RWATCH_CHANGED_PATHS_OMITTED", "1");
    }

    @Test
    void theCommandGetsTheListWithoutANewlineNameButTheChangesFileHasEveryChange() throws IOException {
        Path plain = root.resolve("plain.txt");
        Path twoLines = root.resolve("two\nlines.txt");
        CommandReconciler r = reconciler(Duration.ofSeconds(1), "sh", "-c",
                "printf %s \"$RWATCH_CHANGED_PATHS\" > \"$1\"; printf %s \"$RWATCH_CHANGED_PATHS_OMITTED\" > \"$2\"; "
                        + "cat \"$RWATCH_CHANGES_FILE\" > \"$3\"",
                "sh", out.resolve("paths").toString(), out.resolve("omitted").toString(),
                out.resolve("changes.json").toString());

        assertThat(r.reconcile(tick(5, Change.created(twoLines), Change.modified(plain))).block(WAIT))
                .isEqualTo(CommandResult.exited(0));

        assertThat(Files.readString(out.resolve("paths"))).isEqualTo(plain.toString());
        assertThat(Files.readString(out.resolve("omitted"))).isEqualTo("1");
        JsonNode changes = EventJson.MAPPER.readTree(out.resolve("changes.json")).get("changes");
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("path").asString()).isEqualTo("two\nlines.txt");
        assertThat(changes.get(1).get("path").asString()).isEqualTo("plain.txt");
    }
}
