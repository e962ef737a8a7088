package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class CoalescingTest {

    private Flux<List<Integer>> window(Flux<Integer> source, int maxBatch) {
        return source.transform(Coalescing.window(maxBatch, Duration.ofMillis(50), Schedulers.parallel()));
    }

    @Test
    void aWindowClosesFiftyMillisecondsAfterItsFirstElementEvenIfElementsKeepComing() {
        StepVerifier.withVirtualTime(() -> window(Flux.interval(Duration.ofMillis(10)).map(Long::intValue).take(12), 100))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(60))
                .assertNext(b -> assertThat(b).containsExactly(0, 1, 2, 3, 4))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(b -> assertThat(b).containsExactly(5, 6, 7, 8, 9))
                .thenAwait(Duration.ofMillis(20))
                .assertNext(b -> assertThat(b).containsExactly(10, 11))
                .verifyComplete();
    }

    @Test
    void aFullWindowClosesAtOnce() {
        StepVerifier.withVirtualTime(() -> window(Flux.range(0, 7).concatWith(Flux.never()), 3))
                .expectSubscription()
                .assertNext(b -> assertThat(b).containsExactly(0, 1, 2))
                .assertNext(b -> assertThat(b).containsExactly(3, 4, 5))
                .expectNoEvent(Duration.ofMillis(49))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(b -> assertThat(b).containsExactly(6))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void settleWaitsForTheQuietPeriodAfterTheLastElement() {
        StepVerifier.withVirtualTime(() -> Flux.just(1, 2).concatWith(Flux.just(3).delaySubscription(Duration.ofMillis(80)))
                        .concatWith(Flux.never())
                        .transform(Coalescing.settle(Duration.ofMillis(100), Duration.ofSeconds(1), 100, Schedulers.parallel())))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(179))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(b -> assertThat(b).containsExactly(1, 2, 3))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void settleNeverWaitsLongerThanTheMaxWaitUnderAnEndlessStream() {
        StepVerifier.withVirtualTime(() -> Flux.interval(Duration.ZERO, Duration.ofMillis(10)).map(Long::intValue)
                        .transform(Coalescing.settle(Duration.ofMillis(100), Duration.ofMillis(300), 10_000, Schedulers.parallel())))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(299))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(b -> assertThat(b).hasSize(30).startsWith(0))
                .thenAwait(Duration.ofMillis(300))
                .assertNext(b -> assertThat(b).hasSize(30).startsWith(30))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void bothShapesFlushThePartialBatchWhenTheSourceCompletesAndNeverEmitAnEmptyOne() {
        StepVerifier.withVirtualTime(() -> Flux.just(1, 2)
                        .transform(Coalescing.settle(Duration.ofSeconds(5), Duration.ofSeconds(10), 100, Schedulers.parallel())))
                .expectNext(List.of(1, 2))
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> window(Flux.just(1, 2), 100))
                .expectNext(List.of(1, 2))
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> window(Flux.<Integer>empty(), 100)).verifyComplete();
    }

    @Test
    void aSlowDownstreamGetsEveryBatchInsteadOfAnOverflowError() {
        StepVerifier.withVirtualTime(() -> window(Flux.range(0, 10), 2), 0)
                .expectSubscription()
                .thenRequest(1)
                .assertNext(b -> assertThat(b).containsExactly(0, 1))
                .thenRequest(10)
                .expectNextCount(4)
                .verifyComplete();
    }
}
