package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class TickStartsTest {

    @Test
    void aTickStartIsEmittedRightBeforeItsReconcileAndItsResultFollowsWithTheSameNumber() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        List<String> seenByReconciler = new ArrayList<>();
        List<String> log = new ArrayList<>();
        StepVerifier.withVirtualTime(() -> {
                    ReconcileDaemon<Void> d = ReconcileDaemon.<Void>builder(tick -> {
                                seenByReconciler.add(String.join(",", log));
                                return Mono.delay(Duration.ofMillis(100)).then();
                            })
                            .source(src.asFlux()).window(Duration.ofMillis(50)).build();
                    daemon.set(d);
                    Flux<String> events = Flux.merge(
                                    d.tickStarts().map(t -> "start " + t.number()),
                                    d.ticks().map(r -> "end " + r.tick().number()))
                            .doOnNext(log::add)
                            .replay().autoConnect(0);
                    d.start();
                    return events;
                })
                .expectSubscription()
                .then(() -> emit(src, Change.created(p("a"))))
                .expectNoEvent(Duration.ofMillis(49))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("start 1")
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("end 1")
                .then(() -> daemon.get().tickNow().subscribe())
                .thenAwait(Duration.ofMillis(1))
                .expectNext("start 2")
                .thenAwait(Duration.ofMillis(100))
                .expectNext("end 2")
                .then(() -> daemon.get().stop().subscribe())
                .thenAwait(Duration.ofSeconds(1))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(seenByReconciler).containsExactly("start 1", "start 1,end 1,start 2");
    }

    @Test
    void tickStartsCompleteWhenADaemonThatNeverStartedIsStopped() {
        ReconcileDaemon<Void> d = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).build();
        StepVerifier.create(d.tickStarts())
                .then(() -> d.stop().block(Duration.ofSeconds(5)))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }
}
