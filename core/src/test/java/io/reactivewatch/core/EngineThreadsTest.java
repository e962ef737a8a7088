package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Real threads: where user code runs. No reconciler call, cancel handler or subscriber of ticks() and
 * statusUpdates() runs on a source's thread, and a cancel handler that blocks stalls neither the source nor
 * the timers.
 */
class EngineThreadsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String SOURCE_THREAD = "named-source-thread";

    /** A source whose every event is emitted from one named thread, one event every {@code everyMillis}. */
    private static final class NamedThreadSource {
        final AtomicReference<FluxSink<SourceEvent>> sink = new AtomicReference<>();
        final AtomicLong emitted = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread thread;

        NamedThreadSource(long everyMillis) {
            thread = new Thread(() -> {
                await().atMost(DEADLINE).until(() -> sink.get() != null);
                long i = 0;
                while (!stop.get()) {
                    sink.get().next(Change.modified(Path.of("/w/f" + (i++ % 50))));
                    emitted.incrementAndGet();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(everyMillis));
                }
            }, SOURCE_THREAD);
            thread.setDaemon(true);
        }

        Flux<SourceEvent> events() {
            return Flux.create(s -> {
                sink.set(s);
                thread.start();
            });
        }
    }

    @Test
    void aRestartCancelHandlerThatBlocksRunsOffTheSourceThreadWhileTheSourceKeepsDelivering() throws Exception {
        NamedThreadSource source = new NamedThreadSource(2);
        List<String> cancelThreads = new CopyOnWriteArrayList<>();
        List<Long> deliveredDuringCancel = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Reconciler<Void> slow = tick -> Mono.<Void>create(sink -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            sink.onCancel(() -> {
                cancelThreads.add(Thread.currentThread().getName());
                long before = source.emitted.get();
                // A cancel that must wait for resources to go (rwatch kills a process tree here): it blocks
                // until the source has delivered 100 more events, which it could not if it ran on the source's
                // thread or stalled it (then it gives up after 10 s and the assertion below fails).
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (source.emitted.get() - before < 100 && !source.stop.get() && System.nanoTime() < until) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
                if (!source.stop.get()) {
                    deliveredDuringCancel.add(source.emitted.get() - before);
                }
                running.decrementAndGet();
            });
            // never completes on its own: only a restart ends it
        });
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(slow).source(source.events())
                .window(Duration.ofMillis(20)).busyPolicy(BusyPolicy.RESTART).stopGracePeriod(Duration.ZERO).build();
        daemon.start();
        try {
            await().atMost(DEADLINE).until(() -> deliveredDuringCancel.size() >= 2);
        } finally {
            source.stop.set(true);
            daemon.stop().block(DEADLINE);
        }
        assertThat(cancelThreads).isNotEmpty().doesNotContain(SOURCE_THREAD)
                .allSatisfy(t -> assertThat(t).doesNotStartWith("parallel"));
        assertThat(deliveredDuringCancel).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(100));
        assertThat(maxRunning.get()).as("a rerun never overlaps the reconcile being cancelled").isEqualTo(1);
    }

    @Test
    void theReconcilerAndEverySubscriberRunOnTheDaemonsSchedulerNeverOnTheSourceThread() throws Exception {
        NamedThreadSource source = new NamedThreadSource(1);
        Set<String> reconcileThreads = ConcurrentHashMap.newKeySet();
        Set<String> tickSubscriberThreads = ConcurrentHashMap.newKeySet();
        Set<String> statusSubscriberThreads = ConcurrentHashMap.newKeySet();
        // maxBatch 1: every event closes its batch on the source thread, the worst case.
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.fromRunnable(
                        () -> reconcileThreads.add(Thread.currentThread().getName())))
                .source(source.events()).coalescing(Coalescing.window(Duration.ofMillis(5), 1)).build();
        daemon.ticks().subscribe(r -> tickSubscriberThreads.add(Thread.currentThread().getName()));
        daemon.statusUpdates().subscribe(s -> statusSubscriberThreads.add(Thread.currentThread().getName()));
        daemon.start();
        try {
            await().atMost(DEADLINE).until(() -> daemon.status().tickCount() >= 20);
        } finally {
            source.stop.set(true);
            daemon.stop().block(DEADLINE);
        }
        assertThat(reconcileThreads).isNotEmpty().doesNotContain(SOURCE_THREAD);
        assertThat(tickSubscriberThreads).isNotEmpty().doesNotContain(SOURCE_THREAD);
        // The replayed latest snapshot reaches a subscriber on its own thread; every later one on the daemon's.
        statusSubscriberThreads.remove(Thread.currentThread().getName());
        assertThat(statusSubscriberThreads).isNotEmpty().doesNotContain(SOURCE_THREAD);
    }

    @RepeatedTest(10)
    void restartUnderRealThreadsNeverWedgesAndLosesNothing() throws Exception {
        // Regression guard for the cancel path: a restart's cancel finishes the tick on the I/O scheduler while
        // the batch that caused it requests a rerun on another thread; whichever lands first, a drain must follow.
        AtomicReference<FluxSink<SourceEvent>> sink = new AtomicReference<>();
        Set<Path> reconciled = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        Reconciler<Void> rec = tick -> Mono.defer(() -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            AtomicBoolean ended = new AtomicBoolean();
            Runnable end = () -> {
                if (ended.compareAndSet(false, true)) {
                    running.decrementAndGet();
                }
            };
            // The end is counted before the terminal signal travels on (doFinally would run after the daemon
            // may already have started the next reconcile, and count a false overlap).
            return Mono.delay(Duration.ofMillis(3), Schedulers.parallel())
                    .doOnNext(x -> {
                        tick.changes().changes().forEach(c -> reconciled.add(c.path()));
                        end.run();
                    })
                    .then()
                    .doOnCancel(end);
        });
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(rec).source(Flux.create(sink::set))
                .window(Duration.ofMillis(1)).busyPolicy(BusyPolicy.RESTART).build();
        daemon.start();
        CountDownLatch done = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 2_000; i++) {
                sink.get().next(Change.created(Path.of("/w/r" + i)));
                if (i % 50 == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            done.countDown();
        }, "producer");
        producer.start();
        done.await();
        try {
            await().atMost(DEADLINE).until(() -> reconciled.size() == 2_000
                    && daemon.status().pendingChanges() == 0 && !daemon.status().tickInFlight());
        } finally {
            daemon.stop().block(DEADLINE);
        }
        assertThat(maxRunning.get()).isEqualTo(1);
    }
}
