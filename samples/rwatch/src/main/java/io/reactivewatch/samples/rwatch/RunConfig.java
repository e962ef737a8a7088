package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Coalescing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A validated command line.
 *
 * @param roots        absolute, normalized watch roots (they exist and are readable directories)
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
        List<String> command) {

    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(10);

    RunConfig {
        roots = List.copyOf(roots);
        extensions = List.copyOf(extensions);
        includes = List.copyOf(includes);
        excludes = List.copyOf(excludes);
        command = List.copyOf(command);
    }

    boolean hasCommand() {
        return !command.isEmpty();
    }

    /** The events file, when the JSON lines go to one rather than to stdout. */
    Path eventsFile() {
        return eventsJson == null || eventsJson.equals("-") ? null : Path.of(eventsJson).toAbsolutePath().normalize();
    }
}
