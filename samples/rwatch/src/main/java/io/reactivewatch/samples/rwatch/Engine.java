package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.TickResult;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The daemon rwatch drives: the file-watching {@code WatchDaemon} in the program, a scripted core daemon in
 * tests. Each method means what the daemon's method of the same name means.
 */
interface Engine {

    void start();

    Mono<Void> stop();

    Flux<TickResult<CommandResult>> ticks();

    DaemonStatus status();

    Flux<DaemonStatus> statusUpdates();

    /** The absolute real paths of the roots. */
    List<Path> roots();

    /** Builds an engine for a command line. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param ownFiles files and directories rwatch itself writes, which must never trigger a tick
         * @throws IllegalArgumentException or IllegalStateException naming a setting the daemon rejects
         */
        Engine create(RunConfig config, Reconciler<CommandResult> reconciler, List<Path> ownFiles);
    }
}
