package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.ChangeSource;
import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceDescription;
import io.reactivewatch.core.SourceEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The tests' stand-in for the file system: a change source the test drives. Everything around it, the
 * daemon included, is built by rwatch's own construction path ({@link WatchEngine#daemon}).
 */
class ScriptedSource implements ChangeSource {

    final Sinks.Many<SourceEvent> events = Sinks.many().unicast().onBackpressureBuffer();
    final RunConfig config;
    final List<Path> ownFiles;
    /** What the daemon handed over at open: the test takes holds through it, as a file source does. */
    volatile SourceContext context;

    ScriptedSource(RunConfig config, List<Path> ownFiles) {
        this.config = config;
        this.ownFiles = List.copyOf(ownFiles);
    }

    /** This source as {@link Runner} takes it, with the command line's roots. */
    WatchEngine.Source asSource() {
        return new WatchEngine.Source(this, config.roots());
    }

    void emit(SourceEvent event) {
        events.emitNext(event, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    @Override
    public List<SourceEvent> open(SourceContext context) {
        this.context = context;
        return List.of();
    }

    @Override
    public Flux<SourceEvent> events() {
        return events.asFlux();
    }

    @Override
    public SourceDescription describe() {
        return new SourceDescription(config.roots().stream().map(Path::toString).toList(), "scripted", null, 7, null);
    }
}
