package io.reactivewatch.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/** Shared test helpers: paths, event sources and a daemon runner for virtual time. */
final class Fixtures {

    private Fixtures() {
    }

    static Path p(String name) {
        return Path.of("/w").resolve(name);
    }

    static Path p(int i) {
        return p("f" + i);
    }

    static List<Change> created(int from, int toExclusive) {
        return IntStream.range(from, toExclusive).mapToObj(i -> Change.created(p(i))).collect(Collectors.toList());
    }

    static Sinks.Many<SourceEvent> source() {
        return Sinks.many().unicast().onBackpressureBuffer();
    }

    static void emit(Sinks.Many<SourceEvent> sink, List<? extends SourceEvent> events) {
        for (SourceEvent e : events) {
            sink.emitNext(e, Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }

    static void emit(Sinks.Many<SourceEvent> sink, SourceEvent... events) {
        emit(sink, List.of(events));
    }

    /**
     * Subscribes to every tick result first (replaying them to the test), then starts the daemon, so an
     * immediate start-up tick is not missed.
     */
    static <R> Flux<TickResult<R>> startAndRecord(ReconcileDaemon<R> daemon) {
        Flux<TickResult<R>> all = daemon.ticks().replay().autoConnect(0);
        daemon.start();
        return all;
    }

    static List<Path> paths(TickResult<?> r) {
        return new ArrayList<>(r.tick().changes().paths());
    }
}
