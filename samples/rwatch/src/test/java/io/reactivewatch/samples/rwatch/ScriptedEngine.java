package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.SourceDescription;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.TickResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** An {@link Engine} on the core daemon with a scripted source: the tests' stand-in for the file watcher. */
class ScriptedEngine implements Engine {

    final Sinks.Many<SourceEvent> events = Sinks.many().unicast().onBackpressureBuffer();
    final ReconcileDaemon<CommandResult> daemon;
    final RunConfig config;
    final List<Path> ownFiles;
    private final List<Path> roots;

    ScriptedEngine(RunConfig config, Reconciler<CommandResult> reconciler, List<Path> ownFiles) {
        this.config = config;
        this.ownFiles = List.copyOf(ownFiles);
        this.roots = config.roots();
        ReconcileDaemon.Builder<CommandResult> b = ReconcileDaemon.builder(reconciler)
                .source(events.asFlux())
                .maxBatch(config.maxBatch())
                .busyPolicy(config.busyPolicy())
                .stopGracePeriod(config.stopTimeout())
                .tickOnStart(!config.postpone())
                .persistInterval(Duration.ZERO)
                .sourceDescription(() -> new SourceDescription(roots.stream().map(Path::toString).toList(),
                        "scripted", null, 7));
        if (config.settle() != null) {
            b.settle(config.settle(), config.maxWait());
        } else {
            b.window(config.window());
        }
        this.daemon = b.build();
    }

    void emit(SourceEvent event) {
        events.emitNext(event, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
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
        return roots;
    }
}
