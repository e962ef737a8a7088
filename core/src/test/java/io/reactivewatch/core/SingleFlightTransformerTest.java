package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Single flight on its own, as a transformer of change sets: the daemon's guarantees without a daemon. */
class SingleFlightTransformerTest {

    @Test
    void changeSetsArrivingWhileAReconcileRunsBecomeOneRerunWithTheirUnion() {
        Sinks.Many<ChangeSet> upstream = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> upstream.asFlux().transform(ReconcileDaemon.<Void>builder(
                        tick -> Mono.delay(Duration.ofMillis(100)).then()).buildSingleFlight()))
                .expectSubscription()
                .then(() -> upstream.tryEmitNext(ChangeSet.of(Change.created(p("a")))))
                .thenAwait(Duration.ofMillis(10))
                .then(() -> upstream.tryEmitNext(ChangeSet.of(Change.created(p("b")))))
                .then(() -> upstream.tryEmitNext(ChangeSet.of(Change.modified(p("b")), Change.created(p("c")))))
                .then(() -> upstream.tryEmitNext(ChangeSet.of(Change.created(p("d")))))
                .thenAwait(Duration.ofMillis(90))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("a")))
                .thenAwait(Duration.ofMillis(100))
                .assertNext(r -> {
                    assertThat(Fixtures.paths(r)).containsExactly(p("b"), p("c"), p("d"));
                    assertThat(r.tick().changes().get(p("b")).orElseThrow().kind()).isEqualTo(ChangeKind.CREATED);
                    assertThat(r.tick().number()).isEqualTo(2);
                })
                .expectNoEvent(Duration.ofSeconds(1))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void whenTheUpstreamCompletesWhatIsPendingIsReconciledThenTheFluxCompletes() {
        java.util.Set<java.nio.file.Path> reconciled = new java.util.HashSet<>();
        StepVerifier.withVirtualTime(() -> Flux.just(ChangeSet.of(Change.created(p("a"))),
                                ChangeSet.of(Change.created(p("b"))), ChangeSet.of(Change.created(p("c"))))
                        .transform(ReconcileDaemon.<Void>builder(tick -> Mono.delay(Duration.ofMillis(50)).then())
                                .buildSingleFlight()))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(1))
                .thenConsumeWhile(r -> true, r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    reconciled.addAll(r.tick().changes().paths());
                })
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(reconciled).containsExactlyInAnyOrder(p("a"), p("b"), p("c"));
    }

    @Test
    void aFailedChangeSetIsRetriedWithBackoffAndNeverLost() {
        AtomicInteger calls = new AtomicInteger();
        StepVerifier.withVirtualTime(() -> Flux.just(ChangeSet.of(Change.created(p("a")))).concatWith(Flux.never())
                        .transform(ReconcileDaemon.<Void>builder(tick -> calls.incrementAndGet() == 1
                                        ? Mono.error(new IllegalStateException("first try fails")) : Mono.empty())
                                .retry(RetryPolicy.backoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
                                .buildSingleFlight()))
                .expectSubscription()
                .assertNext(r -> assertThat(r.outcome()).isEqualTo(Outcome.FAILED))
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(r -> {
                    assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    assertThat(r.tick().triggers()).contains(Trigger.RETRY);
                    assertThat(Fixtures.paths(r)).containsExactly(p("a"));
                })
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void eachSubscriptionRunsItsOwnEngine() {
        var singleFlight = ReconcileDaemon.<Integer>builder(tick -> Mono.just(tick.changes().size())).buildSingleFlight();
        Flux<ChangeSet> upstream = Flux.just(ChangeSet.of(Change.created(p("a")), Change.created(p("b"))));
        List<TickResult<Integer>> first = upstream.transform(singleFlight).collectList().block(Duration.ofSeconds(10));
        List<TickResult<Integer>> second = upstream.transform(singleFlight).collectList().block(Duration.ofSeconds(10));
        assertThat(first).extracting(TickResult::value).containsExactly(2);
        assertThat(second).extracting(r -> r.tick().number()).containsExactly(1L);
    }
}
