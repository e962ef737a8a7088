package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Coalescing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated command line.
 *
 * @param roots        absolute, normalized watch roots (they exist, and are readable directories or regular
 *                     files)
 * @param extensions   extensions without the dot; empty for all
 * @param includes     include globs
 * @param excludes     exclude globs
 * @param vcsIgnore    whether to read {@code .gitignore} files
 * @param coalescing   how bursts become ticks: {@code --window} and {@code --max-batch}, or {@code --settle}
 *                     and {@code --max-wait}, as the core validated them
 * @param busyPolicy   what to do with changes that arrive while the command runs
 * @param stopTimeout  how long a running command may take to end before it is killed
 * @param pollInterval the polling backend's interval, or {@code null} for the native backend
 * @param stateFile    where to persist state, or {@code null}
 * @param postpone     whether to skip the unconditional run at start
 * @param eventsJson   {@code null}, {@code -} for stdout, or a file for the JSON lines
 * @param command      the command and its arguments; empty for none
 * @param commandOptions how the command runs and is stopped
 * @param verbosity    how much rwatch says on stderr
 * @param clear        whether the screen is cleared before each run (when stdout is a terminal)
 * @param keys         whether keys are read from the terminal (when stdin is one)
 * @param deferVcs     whether ticks wait while a watched repository is in a git or hg operation
 */
record RunConfig(
        List<Path> roots,
        List<String> extensions,
        List<String> includes,
        List<String> excludes,
        boolean vcsIgnore,
        Coalescing coalescing,
        BusyPolicy busyPolicy,
        Duration stopTimeout,
        Duration pollInterval,
        Path stateFile,
        boolean postpone,
        String eventsJson,
        List<String> command,
        CommandOptions commandOptions,
        Verbosity verbosity,
        boolean clear,
        boolean keys,
        boolean deferVcs) {

    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    RunConfig {
        roots = List.copyOf(roots);
        extensions = List.copyOf(extensions);
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        command = List.copyOf(command);
        Objects.requireNonNull(commandOptions, "commandOptions");
        Objects.requireNonNull(verbosity, "verbosity");
    }

    /** A command line with the defaults of every option that is not a parameter here. */
    RunConfig(List<Path> roots, List<String> extensions, List<String> includes, List<String> excludes,
            boolean vcsIgnore, Coalescing coalescing, BusyPolicy busyPolicy, Duration stopTimeout,
            Duration pollInterval, Path stateFile, boolean postpone, String eventsJson, List<String> command) {
        this(roots, extensions, includes, excludes, vcsIgnore, coalescing, busyPolicy, stopTimeout, pollInterval,
                stateFile, postpone, eventsJson, command, CommandOptions.DEFAULTS, Verbosity.NORMAL);
    }

    /** A command line without {@code --clear}, reading keys on a terminal, ticks waiting for version control. */
    RunConfig(List<Path> roots, List<String> extensions, List<String> includes, List<String> excludes,
            boolean vcsIgnore, Coalescing coalescing, BusyPolicy busyPolicy, Duration stopTimeout,
            Duration pollInterval, Path stateFile, boolean postpone, String eventsJson, List<String> command,
            CommandOptions commandOptions, Verbosity verbosity) {
        this(roots, extensions, includes, excludes, vcsIgnore, coalescing, busyPolicy, stopTimeout, pollInterval,
                stateFile, postpone, eventsJson, command, commandOptions, verbosity, false, true, true);
    }

    /** How much rwatch writes on stderr besides warnings and errors. */
    enum Verbosity {
        /** Warnings and errors only. */
        QUIET,
        /** Also the watching line, one line per tick, the stopping line. */
        NORMAL,
        /** Also each run's start, the process it runs in, and every signal sent to it. */
        VERBOSE
    }

    /**
     * How the command runs and is stopped.
     *
     * @param stopSignal  the signal that stops a run (restart, timeout, shutdown)
     * @param busySignal  with {@code --on-busy signal}: sent to the running command when changes arrive,
     *                    instead of restarting it; {@code null} otherwise
     * @param timeout     how long one run may take before it is stopped as {@code timed-out}, or {@code null}
     * @param exitOnError whether a failed or timed-out run ends rwatch, with the run's status
     * @param env         variables added to the command's environment (rwatch's own {@code RWATCH_*} win)
     * @param workdir     the command's working directory, or {@code null} for rwatch's
     * @param shell       with {@code --shell}: the shell that runs the command's words joined as one script,
     *                    or {@code null} to run the command itself
     * @param delayRun    how long to wait before each run; zero for none
     */
    record CommandOptions(
            Signal stopSignal,
            Signal busySignal,
            Duration timeout,
            boolean exitOnError,
            Map<String, String> env,
            Path workdir,
            String shell,
            Duration delayRun) {

        static final CommandOptions DEFAULTS = new CommandOptions(Signal.TERM, null, null, false, Map.of(), null,
                null, Duration.ZERO);

        CommandOptions {
            Objects.requireNonNull(stopSignal, "stopSignal");
            env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
            Objects.requireNonNull(delayRun, "delayRun");
        }

        /** The program and its arguments as started: the command, or {@code SHELL -c "the words joined"}. */
        List<String> argv(List<String> command) {
            if (shell == null || command.isEmpty()) {
                return command;
            }
            return List.of(shell, "-c", String.join(" ", command));
        }
    }

    boolean hasCommand() {
        return !command.isEmpty();
    }

    /** The events file, when the JSON lines go to one rather than to stdout. */
    Path eventsFile() {
        return eventsJson == null || eventsJson.equals("-") ? null : Path.of(eventsJson).toAbsolutePath().normalize();
    }
}
