package com.example.consumer;

import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.watch.FileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import reactor.core.publisher.Mono;

/** The library without Spring: a daemon over a directory, and the first tick a new file gives. */
public final class PlainLibrary {

    private PlainLibrary() {
    }

    public static TickResult<Void> firstTickFor(Path dir) throws Exception {
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(FileSource.builder().root(dir).build())
                .window(Duration.ofMillis(20))
                .build();
        Mono<TickResult<Void>> first = daemon.ticks().next().cache();
        first.subscribe();
        daemon.start();
        try {
            Files.writeString(dir.resolve("hello.txt"), "hello");
            return first.block(Duration.ofSeconds(30));
        } finally {
            daemon.close();
        }
    }
}
