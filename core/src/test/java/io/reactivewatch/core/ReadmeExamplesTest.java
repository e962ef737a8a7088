package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * The Java shown in README.md, compiled and run. Each snippet below sits between {@code // README:name}
 * markers, and the test fails if the README's block of the same name differs from it, so the two cannot drift.
 */
class ReadmeExamplesTest {

    private final List<Path> reindexed = new ArrayList<>();

    private int reindex(ChangeSet changes) {
        reindexed.addAll(changes.paths());
        return changes.size();
    }

    @Test
    void quickStart() {
        // README:quickstart
        Sinks.Many<SourceEvent> changes = Sinks.many().unicast().onBackpressureBuffer();

        ReconcileDaemon<Integer> daemon = ReconcileDaemon
                .<Integer>builder(tick -> Mono.fromCallable(() -> reindex(tick.changes()))
                        .subscribeOn(Schedulers.boundedElastic()))   // blocking work off the timer thread
                .source(changes.asFlux())
                .window(Duration.ofMillis(50))                         // one tick per burst
                .busyPolicy(BusyPolicy.QUEUE)                          // at most one pending rerun
                .build();

        daemon.ticks().subscribe(r -> System.out.printf("tick %d %s: %d changes, %s%n",
                r.tick().number(), r.tick().triggers(), r.tick().changes().size(), r.outcome()));
        CompletableFuture<TickResult<Integer>> first = daemon.ticks().next().toFuture();
        daemon.start();

        for (int i = 0; i < 1_000; i++) {                              // a burst ...
            changes.tryEmitNext(Change.modified(Path.of("src/File" + i + ".java")));
        }
        TickResult<Integer> result = first.orTimeout(5, TimeUnit.SECONDS).join();      // ... is one tick
        daemon.stop().block();
        // README:end

        assertThat(result.value()).isEqualTo(1_000);
        assertThat(reindexed).hasSize(1_000);
    }

    @Test
    void virtualTime() {
        // README:virtual-time
        Sinks.Many<SourceEvent> changes = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> {
                    ReconcileDaemon<Void> d = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                            .source(changes.asFlux()).window(Duration.ofMillis(50)).build();
                    Flux<TickResult<Void>> ticks = d.ticks().replay().autoConnect(0);
                    d.start();
                    return ticks;
                })
                .then(() -> changes.tryEmitNext(Change.created(Path.of("a"))))
                .then(() -> changes.tryEmitNext(Change.deleted(Path.of("b"))))
                .expectNoEvent(Duration.ofMillis(49))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> assertThat(r.tick().changes().size()).isEqualTo(2))
                .thenCancel()
                .verify();
        // README:end
    }

    /** Stands for work that rewrites many watched files and must not be reconciled half done. */
    private void deploy(Sinks.Many<SourceEvent> changes) {
        changes.tryEmitNext(Change.modified(Path.of("site/index.html")));
        changes.tryEmitNext(Change.modified(Path.of("site/app.js")));
    }

    @Test
    void holds() {
        Sinks.Many<SourceEvent> changes = Sinks.many().unicast().onBackpressureBuffer();
        List<TickResult<Void>> ticks = new java.util.concurrent.CopyOnWriteArrayList<>();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(changes.asFlux()).window(Duration.ofMillis(10)).build();
        daemon.ticks().subscribe(ticks::add);
        daemon.start();
        CompletableFuture<TickResult<Void>> afterHold = daemon.ticks().next().toFuture();
        // README:holds
        try (Hold hold = daemon.hold("deploying")) {     // no tick starts while any hold is open
            deploy(changes);                               // changes keep merging into pending
            System.out.println(daemon.status().holds());  // [HoldStatus[reason=deploying, mode=DEFER, ...]]
        }                                                  // closed: one tick carries everything
        // README:end
        TickResult<Void> tick = afterHold.orTimeout(5, TimeUnit.SECONDS).join();
        assertThat(tick.tick().changes().size()).isEqualTo(2);
        assertThat(ticks).hasSize(1);
        daemon.stop().block(Duration.ofSeconds(10));
    }

    @Test
    void theReadmeShowsExactlyTheseSnippets() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String self = Files.readString(Path.of("src/test/java/io/reactivewatch/core/ReadmeExamplesTest.java"));
        Matcher m = Pattern.compile("// README:([a-z-]+)\\n(.*?)// README:end", Pattern.DOTALL).matcher(self);
        int found = 0;
        while (m.find()) {
            String name = m.group(1);
            String code = m.group(2).replace("\r", "").stripIndent().strip();
            Matcher block = Pattern.compile("<!-- snippet:" + name + " -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
                    .matcher(readme);
            assertThat(block.find()).as("README has a java block marked <!-- snippet:%s -->", name).isTrue();
            assertThat(block.group(1).replace("\r", "").stripIndent().strip()).as("README snippet %s", name)
                    .isEqualTo(code);
            found++;
        }
        assertThat(found).isEqualTo(3);
    }
}
