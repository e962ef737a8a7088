package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.ChangeSource;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.RetryPolicy;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.watch.Backend;
import io.reactivewatch.watch.FileSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Builds what rwatch runs: a {@link ReconcileDaemon} over a change source. The program's source is a
 * {@link FileSource} configured from the command line ({@link #files}); tests hand {@link Runner} a scripted
 * source instead, and the daemon around it is built by {@link #daemon} all the same.
 */
final class WatchEngine {

    private WatchEngine() {
    }

    /**
     * Where a run's changes come from.
     *
     * @param changes the source the daemon opens at start
     * @param roots   the roots as given (absolute, normalized, symbolic links kept), which changed paths are
     *                written relative to
     */
    record Source(ChangeSource changes, List<Path> roots) {
        Source {
            roots = List.copyOf(roots);
        }
    }

    /** Creates the source for a command line: {@link #files} in the program. */
    @FunctionalInterface
    interface SourceFactory {
        /**
         * @param ownFiles files and directories rwatch itself writes, which must never trigger a tick
         * @throws IllegalArgumentException or IllegalStateException naming a setting the source rejects
         */
        Source create(RunConfig config, List<Path> ownFiles);
    }

    /**
     * The daemon for a command line around {@code source}. No retry: a failed tick's changes stay pending
     * and ride along with the next tick (a broken build is not rerun until the next change). No stop grace
     * period: at stop the daemon cancels a running tick at once, and the reconciler's cancellation gives the
     * command the whole {@code --stop-timeout} after the stop signal, so the timeout counts once.
     */
    static ReconcileDaemon<CommandResult> daemon(RunConfig config, Reconciler<CommandResult> reconciler,
            ChangeSource source) {
        ReconcileDaemon.Builder<CommandResult> b = ReconcileDaemon.builder(reconciler)
                .source(source)
                .coalescing(config.coalescing())
                .busyPolicy(config.busyPolicy())
                .retry(RetryPolicy.none())
                .stopGracePeriod(Duration.ZERO)
                .tickOnStart(!config.postpone());
        if (config.commandOptions().timeout() != null) {
            // A timed-out run is cancelled like a restart: the reconciler stops the command's group.
            b.tickTimeout(config.commandOptions().timeout());
        }
        if (config.stateFile() != null) {
            b.stateStore(StateStore.file(config.stateFile()));
        }
        return b.build();
    }

    /** The program's source: the file system under the command line's roots, with its filters. */
    static Source files(RunConfig config, List<Path> ownFiles) {
        FileSource.Builder b = FileSource.builder()
                .roots(config.roots())
                .vcsIgnore(config.vcsIgnore())
                .deferVcs(config.deferVcs());
        if (!config.extensions().isEmpty()) {
            b.extensions(config.extensions());
        }
        config.includes().forEach(b::include);
        config.excludes().forEach(b::exclude);
        if (config.pollInterval() != null) {
            b.backend(Backend.POLLING).scanInterval(config.pollInterval());
        }
        // Without this an events file or change file inside a root would trigger a tick per tick, forever.
        for (Path own : ownFiles) {
            for (Path root : config.roots()) {
                String glob = anchoredGlob(real(root), real(own));
                if (glob != null) {
                    b.exclude(glob);
                }
            }
        }
        FileSource source = b.build();
        return new Source(source, source.roots());
    }

    /**
     * An exclude glob ({@code .gitignore} syntax) matching exactly {@code own} under {@code root}, or
     * {@code null} when it is not under it.
     */
    static String anchoredGlob(Path root, Path own) {
        if (!own.startsWith(root) || own.equals(root)) {
            return null;
        }
        StringBuilder glob = new StringBuilder();
        for (Path part : root.relativize(own)) {
            glob.append('/');
            for (char c : part.toString().toCharArray()) {
                if (c == '\\' || c == '*' || c == '?' || c == '[' || c == ']') {
                    glob.append('\\');
                }
                glob.append(c);
            }
        }
        return glob.toString();
    }

    /**
     * The real path where it exists, else the path itself: a root and one of rwatch's files may be named
     * through different links, and the glob relative to the root is the same under the real paths.
     */
    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            Path parent = abs.getParent();
            if (parent == null) {
                return abs;
            }
            try {
                return parent.toRealPath().resolve(abs.getFileName());
            } catch (IOException again) {
                return abs;
            }
        }
    }
}
