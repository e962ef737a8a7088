package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.Tick;
import io.reactivewatch.samples.rwatch.ProcessControl.CommandProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
    private final Duration stopTimeout;
    private final Signal stopSignal;
    private final ProcessControl control;
    private final Path changesDir;
    private final Terminal terminal;
    private final AtomicReference<Run> running = new AtomicReference<>();
    private volatile boolean forced;
    private volatile Roots roots = new Roots(List.of());

    /** A reconciler stopping its command with SIGTERM, in a process group where the system allows it. */
    CommandReconciler(List<String> command, Duration stopTimeout, Path changesDir, Terminal terminal) {
        this(command, stopTimeout, Signal.TERM, ProcessControl.detect(), changesDir, terminal);
    }

    /**
     * @param stopTimeout how long the command's group may take to end after the stop signal
     * @param stopSignal  the signal that stops a run (restart, timeout, shutdown)
     * @param control     how processes are started and signalled
     * @param changesDir  where the change files go (rwatch's own temporary directory)
     */
    CommandReconciler(List<String> command, Duration stopTimeout, Signal stopSignal, ProcessControl control,
            Path changesDir, Terminal terminal) {
        this.command = List.copyOf(command);
        this.stopTimeout = stopTimeout;
        this.stopSignal = stopSignal;
        this.control = control;
        this.changesDir = changesDir;
        this.terminal = terminal;
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
        return Mono.<CommandResult>create(sink -> {
            Run run = new Run(tick, sink);
            sink.onCancel(run::cancel);
            run.start();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Kills the running command, if any, at once, and starts no other (a second interrupt). */
    void killNow() {
        forced = true;
        Run run = running.get();
        if (run != null) {
            run.kill();
        }
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
        private final Tick tick;
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
            ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
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
                    fail(CommandResult.notStarted("cannot run " + command.get(0) + ": " + e.getMessage()));
                    return;
                }
                process = p;
                running.set(this);
            }
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
            p.signal(stopSignal);
            if (!p.awaitGone(deadline)) {
                p.signal(Signal.KILL);
                p.awaitGone(System.nanoTime() + KILL_WAIT.toNanos());
            }
            ended();
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
}
