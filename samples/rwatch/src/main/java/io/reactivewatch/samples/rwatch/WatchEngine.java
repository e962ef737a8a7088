package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.watch.Backend;
import io.reactivewatch.watch.WatchDaemon;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The program's {@link Engine}: a {@link WatchDaemon} configured from the command line. */
final class WatchEngine implements Engine {

    private final WatchDaemon<CommandResult> daemon;

    private WatchEngine(WatchDaemon<CommandResult> daemon) {
        this.daemon = daemon;
    }

    static Engine create(RunConfig config, Reconciler<CommandResult> reconciler, List<Path> ownFiles) {
        WatchDaemon.Builder<CommandResult> b = WatchDaemon.builder(reconciler)
                .roots(config.roots())
                .vcsIgnore(config.vcsIgnore())
                .maxBatch(config.maxBatch())
                .busyPolicy(config.busyPolicy())
                .stopGracePeriod(config.stopTimeout())
                .tickOnStart(!config.postpone());
        if (!config.extensions().isEmpty()) {
            b.extensions(config.extensions());
        }
        config.includes().forEach(b::include);
        config.excludes().forEach(b::exclude);
        if (config.settle() != null) {
            b.settle(config.settle(), config.maxWait());
        } else {
            b.window(config.window());
        }
        if (config.pollInterval() != null) {
            b.backend(Backend.POLLING).pollInterval(config.pollInterval());
        }
        if (config.stateFile() != null) {
            b.stateFile(config.stateFile());
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
        return new WatchEngine(b.build());
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

    /** The real path where it exists (roots are watched under their real paths), else the path itself. */
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

    @Override
    public void start() {
        daemon.start();
    }

    @Override
    public Mono<Void> stop() {
        return daemon.stop();
    }

    @Override
    public Flux<TickResult<CommandResult>> ticks() {
        return daemon.ticks();
    }

    @Override
    public DaemonStatus status() {
        return daemon.status();
    }

    @Override
    public Flux<DaemonStatus> statusUpdates() {
        return daemon.statusUpdates();
    }

    @Override
    public List<Path> roots() {
        return daemon.roots();
    }
}
