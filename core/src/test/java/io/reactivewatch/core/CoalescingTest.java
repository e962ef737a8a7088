package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Sinks;
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

    // ---- no count cap by default (issue 9)

    private static final Duration WINDOW = Duration.ofMillis(50);
    private static final int BURST = 50_000;

    /** A burst of {@link #BURST} elements at once, then a source that stays open. */
    private static Flux<Integer> burstThenSilence() {
        return Flux.range(0, BURST).concatWith(Flux.never());
    }

    @Test
    void byDefaultABurstOfFiftyThousandInsideOneWindowIsExactlyOneBatch() {
        for (Coalescing c : List.of(Coalescing.defaults(), Coalescing.window(WINDOW))) {
            StepVerifier.withVirtualTime(() -> burstThenSilence().transform(c.<Integer>batches(Schedulers.parallel())))
                    .expectSubscription()
                    .expectNoEvent(WINDOW.minusMillis(1))
                    .thenAwait(Duration.ofMillis(1))
                    .assertNext(b -> assertThat(b).hasSize(BURST).startsWith(0, 1, 2).endsWith(BURST - 1))
                    .expectNoEvent(Duration.ofSeconds(5))
                    .thenCancel()
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void theDaemonsFormCountsTheSameBurstAsOneBatchOfFiftyThousand() {
        StepVerifier.withVirtualTime(() -> burstThenSilence()
                        .transform(Coalescing.defaults().<Integer>batchSizes(Schedulers.parallel())))
                .expectSubscription()
                .expectNoEvent(WINDOW.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(BURST)
                .expectNoEvent(Duration.ofSeconds(5))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aBurstSpreadOverFortyMillisecondsIsStillOneBatchClosingFiftyAfterItsFirstElement() {
        Sinks.Many<Integer> src = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> src.asFlux().transform(Coalescing.defaults().<Integer>batchSizes(Schedulers.parallel())))
                .expectSubscription()
                .then(() -> emitRange(src, 0, 12_500))
                .thenAwait(Duration.ofMillis(20))
                .then(() -> emitRange(src, 12_500, 25_000))
                .thenAwait(Duration.ofMillis(20))
                .then(() -> emitRange(src, 25_000, BURST))
                .expectNoEvent(Duration.ofMillis(9))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(BURST)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    private static void emitRange(Sinks.Many<Integer> sink, int from, int toExclusive) {
        for (int i = from; i < toExclusive; i++) {
            sink.emitNext(i, Sinks.EmitFailureHandler.FAIL_FAST);
        }
    }

    @Test
    void anExplicitMaxBatchStillSplitsTheBurstAtOnceWithoutWaitingForTheWindow() {
        Coalescing capped = Coalescing.window(WINDOW, 10_000);
        StepVerifier.withVirtualTime(() -> burstThenSilence().transform(capped.<Integer>batches(Schedulers.parallel())))
                .expectSubscription()
                .assertNext(b -> assertThat(b).hasSize(10_000).startsWith(0))
                .expectNextCount(3)
                .assertNext(b -> assertThat(b).hasSize(10_000).endsWith(BURST - 1))
                .expectNoEvent(Duration.ofSeconds(5))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        StepVerifier.withVirtualTime(() -> burstThenSilence().transform(capped.<Integer>batchSizes(Schedulers.parallel())))
                .expectSubscription()
                .expectNext(10_000, 10_000, 10_000, 10_000, 10_000)
                .expectNoEvent(Duration.ofSeconds(5))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void withoutACapTheWindowStillClosesFiftyMillisecondsAfterItsFirstElementUnderAnEndlessStream() {
        StepVerifier.withVirtualTime(() -> Flux.interval(Duration.ofMillis(10)).map(Long::intValue).take(12)
                        .transform(Coalescing.defaults().<Integer>batches(Schedulers.parallel())))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(60))
                .assertNext(b -> assertThat(b).containsExactly(0, 1, 2, 3, 4))
                .thenAwait(Duration.ofMillis(50))
                .assertNext(b -> assertThat(b).containsExactly(5, 6, 7, 8, 9))
                .thenAwait(Duration.ofMillis(20))
                .assertNext(b -> assertThat(b).containsExactly(10, 11))
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> Flux.interval(Duration.ofMillis(10)).map(Long::intValue).take(12)
                        .transform(Coalescing.defaults().<Integer>batchSizes(Schedulers.parallel())))
                .expectSubscription()
                .thenAwait(Duration.ofMillis(60))
                .expectNext(5)
                .thenAwait(Duration.ofMillis(50))
                .expectNext(5)
                .thenAwait(Duration.ofMillis(20))
                .expectNext(2)
                .verifyComplete();
    }

    @Test
    void afterABatchClosesByCountTheNextWindowIsTimedFromItsOwnFirstElement() {
        // Element 3 comes 30 ms after the three that filled the first window; its own window ends at 80 ms.
        // Built inside the supplier: delaySubscription takes Schedulers.parallel() when assembled, and only then
        // is it the virtual-time scheduler.
        StepVerifier.withVirtualTime(() -> Flux.range(0, 3)
                        .concatWith(Flux.just(3).delaySubscription(Duration.ofMillis(30)))
                        .concatWith(Flux.never())
                        .transform(Coalescing.window(WINDOW, 3).<Integer>batches(Schedulers.parallel())))
                .expectSubscription()
                .assertNext(b -> assertThat(b).containsExactly(0, 1, 2))
                // The cancelled timer of the first window (due at 50 ms) must not close this one.
                .expectNoEvent(Duration.ofMillis(79))
                .thenAwait(Duration.ofMillis(1))
                .assertNext(b -> assertThat(b).containsExactly(3))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void settleCountsABurstOfAnySizeAsOneBatchToo() {
        StepVerifier.withVirtualTime(() -> burstThenSilence()
                        .transform(Coalescing.settle(Duration.ofMillis(100), Duration.ofSeconds(1)).<Integer>batchSizes(Schedulers.parallel())))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(99))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(BURST)
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void theCountingFormFlushesOnCompletionAndGivesASlowDownstreamEveryBatch() {
        StepVerifier.withVirtualTime(() -> Flux.range(0, 7).transform(Coalescing.defaults().<Integer>batchSizes(Schedulers.parallel())))
                .expectNext(7)
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> Flux.<Integer>empty().transform(Coalescing.defaults().<Integer>batchSizes(Schedulers.parallel())))
                .verifyComplete();
        StepVerifier.withVirtualTime(() -> Flux.range(0, 10).transform(Coalescing.window(WINDOW, 2).<Integer>batchSizes(Schedulers.parallel())), 0)
                .expectSubscription()
                .thenRequest(1)
                .expectNext(2)
                .thenRequest(10)
                .expectNext(2, 2, 2, 2)
                .verifyComplete();
    }

    @Test
    void anErrorFlushesThePartialBatchFirst() {
        IllegalStateException boom = new IllegalStateException("boom");
        StepVerifier.withVirtualTime(() -> Flux.just(1, 2).concatWith(Flux.error(boom))
                        .transform(Coalescing.defaults().<Integer>batchSizes(Schedulers.parallel())))
                .expectNext(2)
                .verifyErrorSatisfies(e -> assertThat(e).isSameAs(boom));
    }

    @Test
    void cancellingMidWindowCancelsTheUpstreamAndEmitsNothingMore() {
        Sinks.Many<Integer> src = Sinks.many().unicast().onBackpressureBuffer();
        StepVerifier.withVirtualTime(() -> src.asFlux().transform(Coalescing.defaults().<Integer>batchSizes(Schedulers.parallel())))
                .expectSubscription()
                .then(() -> emitRange(src, 0, 5))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
        assertThat(src.currentSubscriberCount()).isZero();
    }

    /**
     * The counting form keeps no element of an open window: the daemon merged them into its pending set, so
     * a burst must not cost memory per event there. The list form, which must keep them, shows that the
     * check can see a retained element.
     */
    @Test
    void theCountingFormRetainsNoElementOfAnOpenWindowWhileTheListFormRetainsEvery() {
        // Windows of a minute: nothing closes while the test looks.
        Coalescing window = Coalescing.window(Duration.ofMinutes(1));
        Coalescing settle = Coalescing.settle(Duration.ofMinutes(1));
        assertThat(retainedAfterGc(window.<Object>batchSizes(Schedulers.parallel()), false)).isZero();
        assertThat(retainedAfterGc(settle.<Object>batchSizes(Schedulers.parallel()), false)).isZero();
        assertThat(retainedAfterGc(window.<Object>batches(Schedulers.parallel()), true)).isEqualTo(100);
    }

    /**
     * Sends 100 fresh objects into a window that stays open, then counts how many survive collections: until
     * none does (up to 10 s), or after three when {@code expectKept}.
     */
    private static <B> int retainedAfterGc(Function<Flux<Object>, Flux<B>> shape, boolean expectKept) {
        Sinks.Many<Object> src = Sinks.many().unicast().onBackpressureBuffer();
        List<B> out = new CopyOnWriteArrayList<>();
        Disposable d = src.asFlux().transform(shape).subscribe(out::add);
        List<WeakReference<Object>> refs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Object element = new byte[1024];
            refs.add(new WeakReference<>(element));
            src.emitNext(element, Sinks.EmitFailureHandler.FAIL_FAST);
        }
        AtomicInteger left = new AtomicInteger(-1);
        Callable<Boolean> collected = () -> {
            System.gc();
            left.set((int) refs.stream().filter(r -> r.get() != null).count());
            return left.get() == 0;
        };
        try {
            if (expectKept) {
                for (int i = 0; i < 3; i++) {
                    collected.call();
                }
            } else {
                await().atMost(Duration.ofSeconds(10)).until(collected);
            }
        } catch (Exception notCollected) {
            // left says how many are still held
        } finally {
            d.dispose();
        }
        assertThat(out).as("no batch closed while the test looked").isEmpty();
        return left.get();
    }

    /**
     * Elements from several threads (serialized by the sink, as a source's are) race with window timers
     * firing on the scheduler's threads: every element is counted exactly once, and no batch is empty.
     */
    @Test
    void concurrentEmissionAndTimersCountEveryElementExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 25_000;
        AtomicReference<FluxSink<Integer>> sink = new AtomicReference<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        Flux<Integer> source = Flux.create(s -> {
            sink.set(s);
            subscribed.countDown();
        });
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        CountDownLatch completed = new CountDownLatch(1);
        Disposable d = source.transform(Coalescing.window(Duration.ofMillis(1)).<Integer>batchSizes(Schedulers.parallel()))
                .subscribe(sizes::add, e -> { }, completed::countDown);
        assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> emitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    sink.get().next(i);
                }
            }, "emitter-" + t);
            emitters.add(th);
            th.start();
        }
        for (Thread th : emitters) {
            th.join(TimeUnit.SECONDS.toMillis(30));
        }
        sink.get().complete();
        assertThat(completed.await(30, TimeUnit.SECONDS)).isTrue();
        d.dispose();
        assertThat(sizes).doesNotContain(0);
        assertThat(sizes.stream().mapToLong(Integer::longValue).sum()).isEqualTo((long) threads * perThread);
    }

    @Test
    void theValueSaysWhatItIsAndRejectsBadBoundsByName() {
        assertThat(Coalescing.defaults()).isEqualTo(Coalescing.window(Duration.ofMillis(50)));
        assertThat(Coalescing.defaults().isSettle()).isFalse();
        assertThat(Coalescing.defaults().maxBatch()).as("no count cap by default").isEmpty();
        assertThat(Coalescing.defaults()).hasToString("window(50ms)");
        Coalescing capped = Coalescing.window(Duration.ofMillis(50), 500);
        assertThat(capped.maxBatch()).isEqualTo(OptionalInt.of(500));
        assertThat(capped).hasToString("window(50ms, maxBatch 500)").isNotEqualTo(Coalescing.defaults());
        Coalescing settle = Coalescing.settle(Duration.ofMillis(300));
        assertThat(settle.isSettle()).isTrue();
        assertThat(settle.maxWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settle.maxBatch()).as("settle never closes a batch by count").isEmpty();
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
