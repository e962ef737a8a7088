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
        return source.transform(Coalescing.window(Duration.ofMillis(50), maxBatch).<Integer>batches(Schedulers.parallel()));
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
                        .transform(Coalescing.settle(Duration.ofMillis(100), Duration.ofSeconds(1)).<Integer>batches(Schedulers.parallel())))
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
                        .transform(Coalescing.settle(Duration.ofMillis(100), Duration.ofMillis(300)).<Integer>batches(Schedulers.parallel())))
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
                        .transform(Coalescing.settle(Duration.ofSeconds(5), Duration.ofSeconds(10)).<Integer>batches(Schedulers.parallel())))
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

    @Test
    void settleNeverClosesABatchByCountSoABurstOfAnySizeIsOneBatch() {
        StepVerifier.withVirtualTime(() -> Flux.range(0, 50_000).concatWith(Flux.never())
                        .transform(Coalescing.settle(Duration.ofMillis(100), Duration.ofSeconds(1)).<Integer>batches(Schedulers.parallel())))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(b -> assertThat(b).hasSize(50_000))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void theValueSaysWhatItIsAndRejectsBadBoundsByName() {
        assertThat(Coalescing.defaults()).isEqualTo(Coalescing.window(Duration.ofMillis(50), 10_000));
        assertThat(Coalescing.defaults().isSettle()).isFalse();
        assertThat(Coalescing.defaults()).hasToString("window(50ms, maxBatch 10000)");
        Coalescing settle = Coalescing.settle(Duration.ofMillis(300));
        assertThat(settle.isSettle()).isTrue();
        assertThat(settle.maxWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settle.maxBatch()).isEqualTo(Integer.MAX_VALUE);
        assertThat(settle).hasToString("settle(300ms, maxWait 3000ms)").isNotEqualTo(Coalescing.defaults());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Coalescing.window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Coalescing.window(Duration.ofMillis(1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Coalescing.window(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("window");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Coalescing.settle(Duration.ofSeconds(1), Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Coalescing.settle(null, Duration.ofMillis(10)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("settle");
    }
}
