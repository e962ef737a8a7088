package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.Hold;
import io.reactivewatch.core.HoldStatus;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.samples.rwatch.RunConfig.Verbosity;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * One rwatch run: builds and starts the daemon, reports ticks (JSON lines, human lines, status line), waits
 * for a stop request, stops gracefully and reports {@code stopped}.
 */
final class Runner {

    /** How long the stop may take beyond the command's own stop time before rwatch gives up waiting. */
    private static final Duration STOP_SLACK = Duration.ofSeconds(30);
    /** {@code --exit-on-error} after a run that timed out, as {@code timeout(1)} exits. */
    static final int EXIT_TIMED_OUT = 124;
    /** {@code --exit-on-error} after a command that could not be started, as a shell exits. */
    static final int EXIT_NOT_STARTED = 127;

    private final WatchEngine.SourceFactory sources;
    private final PrintStream stdout;
    private final Terminal terminal;
    private final Shutdown shutdown;
    private final IntConsumer halt;
    private final Supplier<List<Path>> outputFiles;
    private final Function<String, String> systemProperties;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile String lastReportedError;
    /** Status updates arrive on one worker, in order; the flag only needs visibility for tests. */
    private volatile boolean inPersistEpisode;
    private volatile boolean started;
    /** Whether the live status line is drawn: stderr is a terminal and no JSON goes to stdout. */
    private volatile boolean statusLine;
    /** The status line draws only once the start line is out, so it never comes before it. */
    private volatile boolean ready;
    private volatile DaemonStatus lastStatus;
    private volatile Duration stopTimeout = Duration.ZERO;
    private ProcessControl processControl;
    private Tty tty = Tty.none();
    /** The hold reason of the {@code p} key, as status and the held line show it. */
    static final String PAUSED = "paused (p to resume)";
    /** The hold the {@code p} key opened, while paused. */
    private final java.util.concurrent.atomic.AtomicReference<Hold> pause = new java.util.concurrent.atomic.AtomicReference<>();

    /** The keys read from the terminal in this run; closed (the terminal's settings back) on every way out. */
    private volatile Keys keys = Keys.none();

    /**
     * @param halt ends the process at once with a status (a second interrupt); {@code Runtime::halt} in
     *             the program
     */
    Runner(WatchEngine.SourceFactory sources, PrintStream stdout, Terminal terminal, Shutdown shutdown,
            IntConsumer halt) {
        this(sources, stdout, terminal, shutdown, halt, List::of);
    }

    /**
     * @param outputFiles the regular files stdout and stderr are redirected to, if any: rwatch and its
     *                    command write there on every tick, so they must not trigger ticks
     */
    Runner(WatchEngine.SourceFactory sources, PrintStream stdout, Terminal terminal, Shutdown shutdown,
            IntConsumer halt, Supplier<List<Path>> outputFiles) {
        this(sources, stdout, terminal, shutdown, halt, outputFiles, System::getProperty);
    }

    /**
     * @param systemProperties where the JVM's file-name encoding is read ({@link FileNameEncoding});
     *                         {@code System::getProperty} in the program
     */
    Runner(WatchEngine.SourceFactory sources, PrintStream stdout, Terminal terminal, Shutdown shutdown,
            IntConsumer halt, Supplier<List<Path>> outputFiles, Function<String, String> systemProperties) {
        this.sources = sources;
        this.stdout = stdout;
        this.terminal = terminal;
        this.shutdown = shutdown;
        this.halt = halt;
        this.outputFiles = outputFiles;
        this.systemProperties = systemProperties;
    }

    /** How commands are started and stopped; detected on this system unless a test says otherwise. */
    Runner withProcessControl(ProcessControl control) {
        this.processControl = control;
        return this;
    }

    /**
     * The terminal keys are read from and the screen is cleared on; {@link Tty#none()} (no keys, no clearing)
     * unless set: only the program hands over its own stdin.
     */
    Runner withTty(Tty tty) {
        this.tty = tty;
        return this;
    }

    int run(RunConfig config) {
        stopTimeout = config.stopTimeout();
        started = true;
        try {
            return runUntilStopped(config);
        } finally {
            terminal.close();
            finished.countDown();
        }
    }

    /**
     * For a JVM shutdown hook: a shutdown that did not come through the signal handlers (SIGHUP, say) still
     * stops gracefully. Does nothing before the run started (help, version, bad usage) or after it finished.
     */
    void stopFromShutdownHook() {
        if (!started || finished.getCount() == 0) {
            return;
        }
        shutdown.request();
        try {
            finished.await(stopTimeout.plus(STOP_SLACK.multipliedBy(2)).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int runUntilStopped(RunConfig config) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("rwatch-");
        } catch (IOException e) {
            terminal.line("rwatch: cannot create a temporary directory: " + e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        try (EventLog log = openLog(config)) {
            if (log == null) {
                return Cli.EXIT_USAGE;
            }
            return watch(config, log, workDir);
        } finally {
            deleteTree(workDir);
        }
    }

    private EventLog openLog(RunConfig config) {
        if (config.eventsJson() == null) {
            return EventLog.disabled();
        }
        if (config.eventsFile() == null) {
            return EventLog.to(stdout, m -> terminal.line("rwatch: " + m));
        }
        try {
            return EventLog.toFile(config.eventsFile(), m -> terminal.line("rwatch: " + m));
        } catch (IOException e) {
            terminal.line("rwatch: --events-json " + config.eventsFile() + " cannot be written: " + e.getMessage());
            return null;
        }
    }

    private int watch(RunConfig config, EventLog log, Path workDir) {
        ProcessControl control = processControl != null ? processControl : ProcessControl.detect();
        Consumer<String> verbose = config.verbosity() == Verbosity.VERBOSE ? m -> terminal.line("rwatch: " + m) : m -> { };
        CommandReconciler reconciler = new CommandReconciler(config.command(), config.stopTimeout(),
                config.commandOptions(), control, workDir, terminal, verbose);
        List<Path> ownFiles = new ArrayList<>();
        ownFiles.add(workDir);
        if (config.eventsFile() != null) {
            ownFiles.add(config.eventsFile());
        }
        ownFiles.addAll(outputFiles.get());
        WatchEngine.Source source;
        ReconcileDaemon<CommandResult> daemon;
        try {
            source = sources.create(config, ownFiles);
            daemon = WatchEngine.daemon(config, reconciler, source.changes());
        } catch (IllegalArgumentException | IllegalStateException e) {
            terminal.line("rwatch: " + e.getMessage());
            return Cli.EXIT_USAGE;
        }
        Roots roots = new Roots(source.roots());
        reconciler.bind(roots);
        // JSON on stdout shares the terminal: a status line redrawn on stderr would land inside its lines.
        statusLine = terminal.live() && !(config.eventsJson() != null && config.eventsFile() == null);
        shutdown.onForce(() -> {
            keys.close(); // halt runs no finally block and no shutdown hook: the terminal's settings go back now
            reconciler.killNow();
            log.event(EventJson.error(Instant.now(), "second interrupt: exiting without waiting"));
            log.close();
            terminal.line("rwatch: forced exit");
            halt.accept(130);
        });

        // Subscribed before start: the start-up tick may finish before start() returns. Its lines wait
        // for the ready line, so every report reads in the order of life.
        ReadyGate gate = new ReadyGate();
        Disposable ticks = daemon.ticks().subscribe(r -> {
            // On the daemon's worker, before it starts another tick: a failed run ends rwatch before any other.
            exitOnError(config, r, daemon);
            gate.run(() -> onTick(config, r, roots, log));
        });
        BusyReport busy = new BusyReport(config, reconciler);
        HoldReport holds = new HoldReport(config, log, gate);
        Disposable statuses = daemon.statusUpdates().subscribe(s -> {
            onStatus(config, s, log);
            busy.onStatus(s);
            holds.onStatus(s);
        });
        if (config.clear() && tty.stdoutIsTerminal()) {
            terminal.clearBeforeRuns(stdout);
        }
        // Before the start-up run: a command started before must not share the terminal's input with the keys.
        Keys k = config.keys() ? Keys.open(tty.stdinMode(), tty.stdin()) : Keys.none();
        keys = k;
        if (k.reading()) {
            reconciler.detachInput();
        }
        try {
            try {
                daemon.start();
            } catch (IllegalArgumentException | IllegalStateException e) {
                // A root that is gone or not a directory (the source checks its roots as it opens), a --state
                // file that is not ours or cannot be written, a watcher that cannot start: one line, exit 2.
                terminal.line("rwatch: " + e.getMessage());
                return Cli.EXIT_USAGE;
            }
            DaemonStatus status = daemon.status();
            log.ready(EventJson.ready(Instant.now(), roots.all(), status.backend(), status.trackedFiles(),
                    status.trackedDirectories()));
            if (status.lastError() != null && status.consecutiveFailures() == 0) {
                // A state file set aside at start (the store has already warned on stderr), unless a failed
                // start-up tick has replaced it with its own error already.
                lastReportedError = status.lastError();
                log.event(EventJson.error(Instant.now(), status.lastError()));
            }
            List<String> warnings = new ArrayList<>();
            warnings.add(FileNameEncoding.warning(systemProperties));
            if (config.hasCommand()) {
                warnings.add(control.warning());
            }
            for (String warning : warnings) {
                if (warning != null) {
                    terminal.line("rwatch: warning: " + warning);
                    log.event(EventJson.error(Instant.now(), warning));
                }
            }
            say(config, "rwatch: watching " + describeRoots(roots.all()) + " (" + status.backend() + ", "
                    + StatusLine.counts(status.trackedFiles(), status.trackedDirectories()) + ")"
                    + (config.hasCommand()
                            ? ", running " + CommandReconciler.display(config.commandOptions().argv(config.command()))
                            : ", no command")
                    // Also where no status line is drawn (JSON on the terminal, stdout piped).
                    + "; Ctrl-C to stop" + (k.reading() ? " (" + StatusLine.KEYS + ")" : ""));
            gate.open();
            ready = true;
            // What a key does runs on the key reader's thread: a request to the daemon or to the main thread.
            k.on('r', () -> daemon.tickNow().subscribe(r -> { }, e -> { }))
                    .on('p', () -> togglePause(config, daemon))
                    .on('q', shutdown::request)
                    .listen();
            drawStatus(config);

            awaitStopRequest();
            int exitStatus = shutdown.exitStatus();
            if (exitStatus != 0) {
                terminal.line("rwatch: stopping after a run that " + (exitStatus == EXIT_TIMED_OUT ? "timed out"
                        : "failed") + " (--exit-on-error); exit status " + exitStatus);
            } else if (reconciler.commandRunning()) {
                say(config, "rwatch: stopping; the running command gets " + config.commandOptions().stopSignal()
                        + " and " + Durations.format(config.stopTimeout()) + " to end before it is killed"
                        + " (Ctrl-C again to force)");
            } else {
                say(config, "rwatch: stopping");
            }

            // The command gets the stop timeout once, from the stop signal on; then SIGKILL, and the slack.
            Duration limit = config.stopTimeout().plus(STOP_SLACK);
            try {
                daemon.stop().block(limit);
            } catch (IllegalStateException timeout) {
                String message = "the daemon did not stop within " + limit.toSeconds() + " s";
                log.event(EventJson.error(Instant.now(), message));
                terminal.line("rwatch: " + message);
            }
            log.stopped(EventJson.stopped(Instant.now(), daemon.status().pendingChanges()));
            return exitStatus;
        } finally {
            k.close();
            ticks.dispose();
            statuses.dispose();
        }
    }

    private void awaitStopRequest() {
        try {
            shutdown.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code --exit-on-error}: a run that failed or timed out stops the daemon at once (on its worker, so no
     * other tick starts after it) and ends rwatch with the run's status once its changes are persisted.
     */
    private void exitOnError(RunConfig config, TickResult<CommandResult> result, ReconcileDaemon<CommandResult> daemon) {
        if (!config.commandOptions().exitOnError() || shutdown.requested()) {
            return;
        }
        int status = errorStatus(result);
        if (status != 0) {
            daemon.stop().subscribe(v -> { }, e -> { });
            shutdown.exit(status);
        }
    }

    /** The exit status of {@code --exit-on-error} for a tick, or 0 when it was no error. */
    static int errorStatus(TickResult<CommandResult> result) {
        if (result.outcome() == Outcome.TIMED_OUT) {
            return EXIT_TIMED_OUT;
        }
        if (result.outcome() != Outcome.FAILED) {
            return 0;
        }
        CommandResult command = CommandResult.of(result);
        if (command == null || command.exitCode() == null) {
            return EXIT_NOT_STARTED;
        }
        int code = command.exitCode();
        return code == 0 ? Cli.EXIT_FAILURE : code;
    }

    /** Reports a tick: a command that could not start is an error line first. */
    private void onTick(RunConfig config, TickResult<CommandResult> result, Roots roots, EventLog log) {
        CommandResult command = CommandResult.of(result);
        if (command != null && command.failure() != null) {
            log.event(EventJson.error(result.finishedAt(), command.failure()));
        }
        log.event(EventJson.tick(result, roots));
        if (config.verbosity() != Verbosity.QUIET) {
            terminal.line(TickLine.format(result, roots));
        } else if (command != null && command.failure() != null) {
            terminal.line("rwatch: tick " + result.tick().number() + ": " + command.failure());
        }
    }

    private void onStatus(RunConfig config, DaemonStatus status, EventLog log) {
        lastStatus = status;
        drawStatus(config);
        if (status.backendError() != null) {
            reportError(status.backendError(), log);
        } else if (lastReportedError != null && !lastReportedError.equals(status.lastError())) {
            // The problem is over: the same one coming back later is a new report.
            lastReportedError = null;
            terminal.warningsCleared();
        }
        // State that cannot be written: one error line per episode in the JSON. The library's own warning is
        // the one stderr line (and another says when writes succeed again).
        boolean persistProblem = StatusLine.persistProblem(status);
        if (persistProblem && !inPersistEpisode) {
            log.event(EventJson.error(Instant.now(), status.lastError()));
        }
        inPersistEpisode = persistProblem;
    }

    /**
     * The {@code p} key, on the key reader's thread: a hold on the daemon's ticks while paused. Changes keep
     * merging into pending (and into the state file), so resuming runs one tick with everything that arrived;
     * nothing is lost. A manual tick asked for while paused runs on resume.
     */
    private void togglePause(RunConfig config, ReconcileDaemon<?> daemon) {
        Hold open = pause.getAndSet(null);
        if (open != null) {
            open.close();
            say(config, "rwatch: resumed");
        } else {
            pause.set(daemon.hold(PAUSED));
            say(config, "rwatch: paused; changes wait until p is pressed again");
        }
    }

    /** Redraws the live status line from the last status, once the start line is out. */
    private void drawStatus(RunConfig config) {
        DaemonStatus status = lastStatus;
        if (statusLine && ready && status != null && config.verbosity() != Verbosity.QUIET) {
            terminal.status(StatusLine.format(status, keys.reading()));
        }
    }

    /** A line for the normal and verbose levels, not for {@code --quiet}. */
    private void say(RunConfig config, String line) {
        if (config.verbosity() != Verbosity.QUIET) {
            terminal.line(line);
        }
    }

    /**
     * What changes that arrive during a run do, as status updates tell it: with {@code --on-busy signal}, each
     * batch that closes while the command runs, with changes pending, signals the command; with
     * {@code drop}, the changes the daemon dropped during a run are counted in one line once the run's
     * tick line is out (dropped events never close a batch, so the status at the tick's end is the first to
     * show them). Status updates come
     * on the daemon's worker, one at a time; the signal is sent from the I/O scheduler, so the worker never
     * waits for the kill program.
     */
    private final class BusyReport {
        private final RunConfig config;
        private final CommandReconciler reconciler;
        private long batchesSeen;
        private long droppedChanges;

        BusyReport(RunConfig config, CommandReconciler reconciler) {
            this.config = config;
            this.reconciler = reconciler;
        }

        void onStatus(DaemonStatus s) {
            Signal signal = config.commandOptions().busySignal();
            if (signal != null && s.batchesSeen() > batchesSeen && s.tickInFlight() && s.pendingChanges() > 0) {
                int pending = s.pendingChanges();
                Schedulers.boundedElastic().schedule(() -> {
                    long tick = reconciler.signalRunning(signal);
                    if (tick >= 0) {
                        say(config, "rwatch: tick " + tick + ": sent " + signal + " to the running command; "
                                + pending + (pending == 1 ? " change waits" : " changes wait") + " for its next run");
                    }
                });
            }
            batchesSeen = Math.max(batchesSeen, s.batchesSeen());
            if (s.droppedChanges() > droppedChanges) {
                long dropped = s.droppedChanges() - droppedChanges;
                droppedChanges = s.droppedChanges();
                say(config, "rwatch: dropped " + dropped + (dropped == 1 ? " change" : " changes")
                        + " that arrived while the command ran (--on-busy drop)");
            }
        }
    }

    /**
     * Why ticks wait, as status updates tell it: each hold (a version-control operation in a watched
     * repository, or one the library's user took) is said once, on the first status that shows it open while
     * changes are pending, so a hold that keeps nothing waiting (git refreshing its index on its own) says
     * nothing. One {@code rwatch: held: REASON} line (not with {@code --quiet}) and one {@code held} JSON line;
     * its end needs no line, the tick that follows it says enough. On the daemon's worker, one status at a
     * time; the lines wait for the ready line like ticks do.
     */
    private final class HoldReport {
        private final RunConfig config;
        private final EventLog log;
        private final ReadyGate gate;
        /** The holds already said, while they are open: a reason alone may come back as a new hold. */
        private final List<HoldStatus> said = new ArrayList<>();

        HoldReport(RunConfig config, EventLog log, ReadyGate gate) {
            this.config = config;
            this.log = log;
            this.gate = gate;
        }

        void onStatus(DaemonStatus s) {
            said.removeIf(h -> s.holds().stream().noneMatch(open -> sameHold(h, open)));
            if (s.pendingChanges() == 0) {
                return;
            }
            for (HoldStatus h : s.holds()) {
                if (said.stream().noneMatch(known -> sameHold(known, h))) {
                    said.add(h);
                    gate.run(() -> {
                        log.event(EventJson.held(Instant.now(), h.reason(), h.since()));
                        say(config, "rwatch: held: " + h.reason());
                    });
                }
            }
        }

        /** Its dropped count moves while it is open; reason, mode and since are the hold. */
        private static boolean sameHold(HoldStatus a, HoldStatus b) {
            return a.reason().equals(b.reason()) && a.mode() == b.mode() && a.since().equals(b.since());
        }
    }

    /**
     * A problem the source reports in status: one {@code error} line in the JSON per problem, and one
     * {@code rwatch: warning:} line, unless the library's log has just printed the same warning.
     */
    private void reportError(String message, EventLog log) {
        if (Objects.equals(message, lastReportedError)) {
            return;
        }
        lastReportedError = message;
        log.event(EventJson.error(Instant.now(), message));
        terminal.warning(message);
    }

    /**
     * The regular files this process's stdout and stderr go to, read from {@code /proc} (Linux); empty
     * elsewhere or for terminals and pipes.
     */
    static List<Path> redirectedOutputFiles() {
        List<Path> files = new ArrayList<>();
        for (String fd : new String[] {"1", "2"}) {
            try {
                Path target = Files.readSymbolicLink(Path.of("/proc/self/fd", fd));
                if (target.isAbsolute() && Files.isRegularFile(target) && !files.contains(target)) {
                    files.add(target);
                }
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // Not Linux, or not a file: nothing to leave out.
            }
        }
        return files;
    }

    /** The roots for the start line: each of up to three, else the first two and how many more. */
    static String describeRoots(List<Path> roots) {
        if (roots.size() <= 3) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < roots.size(); i++) {
                sb.append(i == 0 ? "" : i == roots.size() - 1 ? " and " : ", ").append(roots.get(i));
            }
            return sb.toString();
        }
        return roots.get(0) + ", " + roots.get(1) + " and " + (roots.size() - 2) + " more roots";
    }

    /** Runs actions in order, holding back those that arrive before {@link #open()}. */
    private static final class ReadyGate {
        private List<Runnable> held = new ArrayList<>();

        synchronized void run(Runnable action) {
            if (held != null) {
                held.add(action);
            } else {
                action.run();
            }
        }

        synchronized void open() {
            held.forEach(Runnable::run);
            held = null;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Only rwatch's own temporary change files live there; the OS cleans its temp directory.
        }
    }
}
