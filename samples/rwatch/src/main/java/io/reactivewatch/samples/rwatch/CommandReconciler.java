package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.Tick;
import io.reactivewatch.samples.rwatch.ProcessControl.CommandProcess;
import io.reactivewatch.samples.rwatch.RunConfig.CommandOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the user's command once per tick, without a shell, with stdin/stdout/stderr passed through.
 *
 * <p>A command that exits 0 completes the reconcile with its {@link CommandResult}; one that exits non-zero,
 * or cannot be started, fails it with a {@link CommandFailure} carrying the result. The core's outcome of
 * the tick is then {@code failed} and its changes stay pending. rwatch builds the daemon with
 * {@code RetryPolicy.none()}, so a broken build is not rerun on its own: the failed changes ride along with
 * the next tick that a change starts.
 *
 * <p>The command runs in a process group of its own where the system allows it ({@link ProcessControl}).
 * Cancelling the reconcile (busy policy restart, tick timeout, shutdown) stops the command before the
 * cancellation returns: the stop signal to its whole group, up to the stop timeout for the group to end, then
 * SIGKILL to the group. The core starts the next tick only after the cancellation returns, so two commands
 * never overlap, and nothing of the old one is left for the new one to wait on.
 */
final class CommandReconciler implements Reconciler<CommandResult> {

    /** Above this many bytes {@code RWATCH_CHANGED_PATHS} is left out (environments have size limits). */
    static final int MAX_CHANGED_PATHS_BYTES = 64 * 1024;
    /** How long a group may take to go once SIGKILL was sent (a process in uninterruptible I/O lingers). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final List<String> command;
    private final List<String> argv;
    private final Duration stopTimeout;
    private final CommandOptions options;
    private final ProcessControl control;
    private final Path changesDir;
    private final Terminal terminal;
    private final Consumer<String> verbose;
    private final AtomicReference<Run> running = new AtomicReference<>();
    private volatile boolean forced;
    private volatile Roots roots = new Roots(List.of());

    /** A reconciler stopping its command with SIGTERM, in a process group where the system allows it. */
    CommandReconciler(List<String> command, Duration stopTimeout, Path changesDir, Terminal terminal) {
        this(command, stopTimeout, Signal.TERM, ProcessControl.detect(), changesDir, terminal);
    }

    /** A reconciler with every other option at its default. */
    CommandReconciler(List<String> command, Duration stopTimeout, Signal stopSignal, ProcessControl control,
            Path changesDir, Terminal terminal) {
        this(command, stopTimeout, new CommandOptions(stopSignal, null, null, false, Map.of(), null, null,
                Duration.ZERO), control, changesDir, terminal, m -> { });
    }

    /**
     * @param stopTimeout how long the command's group may take to end after the stop signal
     * @param options     how the command runs: stop signal, environment, directory, shell, delay
     * @param control     how processes are started and signalled
     * @param changesDir  where the change files go (rwatch's own temporary directory)
     * @param verbose     where the details of {@code --verbose} go: each start, process group and signal
     */
    CommandReconciler(List<String> command, Duration stopTimeout, CommandOptions options, ProcessControl control,
            Path changesDir, Terminal terminal, Consumer<String> verbose) {
        this.command = List.copyOf(command);
        this.argv = options.argv(this.command);
        this.stopTimeout = stopTimeout;
        this.options = options;
        this.control = control;
        this.changesDir = changesDir;
        this.terminal = terminal;
        this.verbose = verbose;
    }

    /** The roots changes are written relative to; known once the daemon is built. */
    void bind(Roots roots) {
        this.roots = roots;
    }

    @Override
    public Mono<CommandResult> reconcile(Tick tick) {
        if (command.isEmpty()) {
            return Mono.empty();
        }
        // Starting a process and writing the change file block: keep them off the daemon's timer threads.
        Mono<CommandResult> run = Mono.create(sink -> {
            Run r = new Run(tick, sink);
            sink.onCancel(r::cancel);
            r.start();
        });
        if (options.delayRun().isZero()) {
            return run.subscribeOn(Schedulers.boundedElastic());
        }
        // Cancelled during the wait (a restart, a stop), the delay ends and nothing starts.
        return Mono.delay(options.delayRun(), Schedulers.boundedElastic())
                .doOnSubscribe(s -> verbose.accept("tick " + tick.number() + ": waiting "
                        + Durations.format(options.delayRun()) + " before the run (--delay-run)"))
                .then(run);
    }

    /** Kills the running command, if any, at once, and starts no other (a second interrupt). */
    void killNow() {
        forced = true;
        Run run = running.get();
        if (run != null) {
            run.kill();
        }
    }

    /** Whether a command is running now. */
    boolean commandRunning() {
        return running.get() != null;
    }

    /**
     * Sends {@code signal} to the running command's process group ({@code --on-busy signal}); nothing when
     * no command runs.
     *
     * @return the tick number of the run signalled, or {@code -1} when none was
     */
    long signalRunning(Signal signal) {
        Run run = running.get();
        return run != null && run.signal(signal) ? run.tick.number() : -1;
    }

    /**
     * The environment added for a tick: {@code RWATCH_TICK}, {@code RWATCH_CHANGES_FILE},
     * {@code RWATCH_CHANGED_PATHS} and {@code RWATCH_CHANGED_PATHS_OMITTED}, how many changed paths the list
     * leaves out. A path whose name holds a newline cannot be one line of it and is left out; above 64 KiB the
     * list itself is left out, and all are counted. The changes file always has every change.
     */
    static void putEnvironment(Map<String, String> env, Tick tick, Path changesFile) {
        env.put("RWATCH_TICK", Long.toString(tick.number()));
        env.put("RWATCH_CHANGES_FILE", changesFile.toString());
        ChangedPaths paths = changedPaths(tick);
        if (paths.list().getBytes(StandardCharsets.UTF_8).length <= MAX_CHANGED_PATHS_BYTES) {
            env.put("RWATCH_CHANGED_PATHS", paths.list());
            env.put("RWATCH_CHANGED_PATHS_OMITTED", Integer.toString(paths.omitted()));
        } else {
            // Also drop one inherited from an outer rwatch: a stale list would be worse than none.
            env.remove("RWATCH_CHANGED_PATHS");
            env.put("RWATCH_CHANGED_PATHS_OMITTED", Integer.toString(tick.changes().size()));
        }
    }

    /**
     * The changed paths one per line, and how many could not be a line.
     *
     * @param list    the absolute paths, newline-separated, without those whose name holds a newline
     * @param omitted how many were left out for that
     */
    record ChangedPaths(String list, int omitted) {
    }

    static ChangedPaths changedPaths(Tick tick) {
        StringBuilder sb = new StringBuilder();
        int omitted = 0;
        for (Change c : tick.changes().changes()) {
            String path = c.path().toString();
            if (path.indexOf('\n') >= 0) {
                omitted++;
                continue;
            }
            if (sb.length() > 0) {
                sb.append('\n');
            }
            sb.append(path);
        }
        return new ChangedPaths(sb.toString(), omitted);
    }

    /** One command run: the process, and the one lock that orders its start against its cancellation. */
    private final class Run {
        final Tick tick;
        private final MonoSink<CommandResult> sink;
        private final Path changesFile;
        private CommandProcess process;
        private boolean cancelled;
        /** Set once a stop began: the command's exit alone no longer ends the run, its whole group must. */
        private boolean stopping;

        Run(Tick tick, MonoSink<CommandResult> sink) {
            this.tick = tick;
            this.sink = sink;
            this.changesFile = changesDir.resolve("tick-" + tick.number() + ".json");
        }

        void start() {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
            }
            try {
                Files.write(changesFile, EventJson.MAPPER.writeValueAsBytes(EventJson.changesFile(tick, roots)));
            } catch (IOException e) {
                fail(CommandResult.notStarted("could not write the change file " + changesFile + ": " + e));
                return;
            }
            ProcessBuilder pb = new ProcessBuilder(argv).inheritIO();
            if (options.workdir() != null) {
                pb.directory(options.workdir().toFile());
            }
            LauncherLocale.handBack(pb.environment());
            pb.environment().putAll(options.env());
            putEnvironment(pb.environment(), tick, changesFile);
            CommandProcess p;
            synchronized (this) {
                if (cancelled || forced) {
                    deleteChangesFile();
                    if (!cancelled) {
                        fail(CommandResult.notStarted("not started: rwatch is exiting"));
                    }
                    return;
                }
                terminal.commandStarting();
                try {
                    p = control.start(pb);
                } catch (IOException | RuntimeException e) {
                    terminal.commandEnded();
                    deleteChangesFile();
                    fail(CommandResult.notStarted("cannot run " + argv.get(0) + ": " + e.getMessage()));
                    return;
                }
                process = p;
                running.set(this);
            }
            verbose.accept("tick " + tick.number() + ": started " + display(argv) + " as pid " + p.process().pid()
                    + (p.grouped() ? ", leading its process group" : ", in rwatch's process group"));
            if (forced) {
                // killNow() ran while this command was starting and may not have seen it.
                kill();
            }
            p.process().onExit().thenAccept(done -> {
                synchronized (this) {
                    if (stopping) {
                        return; // cancel() ends the run once the whole group is gone
                    }
                }
                ended();
                CommandResult result = CommandResult.exited(done.exitValue());
                if (result.succeeded()) {
                    sink.success(result);
                } else {
                    fail(result);
                }
            });
        }

        private void fail(CommandResult result) {
            sink.error(new CommandFailure(result));
        }

        /**
         * The cancellation handler (restart, timeout, shutdown): sends the stop signal to the command's group,
         * gives it the stop timeout to end, then sends SIGKILL; returns only once the group is gone.
         */
        void cancel() {
            CommandProcess p;
            synchronized (this) {
                cancelled = true;
                stopping = true;
                p = process;
            }
            if (p == null) {
                return;
            }
            long deadline = System.nanoTime() + stopTimeout.toNanos();
            verbose.accept("tick " + tick.number() + ": sending " + options.stopSignal() + " to " + p.describe()
                    + ", which gets " + Durations.format(stopTimeout) + " to end");
            p.signal(options.stopSignal());
            if (!p.awaitGone(deadline)) {
                verbose.accept("tick " + tick.number() + ": still running after " + Durations.format(stopTimeout)
                        + ": sending KILL to " + p.describe());
                p.signal(Signal.KILL);
                p.awaitGone(System.nanoTime() + KILL_WAIT.toNanos());
            }
            ended();
        }

        /** {@code --on-busy signal}: the signal to the group; whether it could be sent. */
        boolean signal(Signal signal) {
            CommandProcess p;
            synchronized (this) {
                p = stopping ? null : process;
            }
            return p != null && p.process().isAlive() && p.signal(signal);
        }

        void kill() {
            CommandProcess p;
            synchronized (this) {
                p = process;
            }
            if (p != null) {
                p.signal(Signal.KILL);
            }
        }

        private void ended() {
            if (running.compareAndSet(this, null)) {
                terminal.commandEnded();
            }
            deleteChangesFile();
        }

        private void deleteChangesFile() {
            try {
                Files.deleteIfExists(changesFile);
            } catch (IOException e) {
                // A leftover file in rwatch's own temporary directory goes when rwatch exits.
            }
        }
    }

    /** A command line for messages: its words, quoted where they hold blanks, cut short past 120 characters. */
    static String display(List<String> argv) {
        StringBuilder sb = new StringBuilder();
        for (String word : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            boolean quote = word.isEmpty() || word.chars().anyMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '"');
            sb.append(quote ? "'" + word.replace("'", "'\\''") + "'" : word);
        }
        String s = sb.toString().replaceAll("\\R", " ");
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
