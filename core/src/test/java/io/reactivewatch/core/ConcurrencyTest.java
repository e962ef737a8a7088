package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Real threads: the races virtual time cannot show. Waits on conditions, never on fixed sleeps. */
class ConcurrencyTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** A reconciler doing a little real work per change on boundedElastic, failing now and then. */
    private static Recorder workingRecorder(Random rnd) {
        return new Recorder(tick -> Mono.fromCallable(() -> {
            long h = 0;
            for (Change c : tick.changes().changes()) {
                h += c.path().toString().hashCode();
            }
            synchronized (rnd) {
                if (rnd.nextInt(50) == 0) {
                    throw new IllegalStateException("transient " + h);
                }
            }
            return h;
        }).subscribeOn(Schedulers.boundedElastic()).then(), Schedulers.parallel());
    }

    private static Flux<SourceEvent> sharedSource(AtomicReference<FluxSink<SourceEvent>> sink) {
        return Flux.create(s -> sink.set(s));
    }

    @RepeatedTest(20)
    void fourProducersAndOneHundredThousandChangesKeepEveryInvariant(RepetitionInfo info) throws Exception {
        Random rnd = new Random(info.getCurrentRepetition());
        Recorder rec = workingRecorder(rnd);
        AtomicReference<FluxSink<SourceEvent>> sink = new AtomicReference<>();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(rec).source(sharedSource(sink))
                .coalescing(Coalescing.window(Duration.ofMillis(2), 500))
                .retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(5))).build();
        daemon.start();
        List<Set<Path>> truths = Collections.synchronizedList(new ArrayList<>());
        ExecutorService producers = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                done.add(CompletableFuture.runAsync(() -> {
                    Random r = new Random(worker * 1000L + info.getCurrentRepetition());
                    Set<Path> truth = new HashSet<>();
                    for (int i = 0; i < 25_000; i++) {
                        Path path = Path.of("/w", "t" + worker, "f" + r.nextInt(250));
                        Change c;
                        if (!truth.contains(path)) {
                            c = Change.created(path);
                            truth.add(path);
                        } else if (r.nextBoolean()) {
                            c = Change.modified(path);
                        } else {
                            c = Change.deleted(path);
                            truth.remove(path);
                        }
                        sink.get().next(c);
                    }
                    truths.add(truth);
                }, producers));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get();
        } finally {
            producers.shutdown();
        }
        Set<Path> truth = new HashSet<>();
        truths.forEach(truth::addAll);
        await().atMost(DEADLINE).until(() -> {
            DaemonStatus s = daemon.status();
            return s.eventsSeen() == 100_000 && s.pendingChanges() == 0 && !s.pendingRerun() && !s.tickInFlight();
        });
        try {
            assertThat(rec.maxConcurrent).hasValue(1);
            assertThat(rec.violations).isEmpty();
            assertThat(rec.view()).isEqualTo(truth);
        } finally {
            daemon.stop().block(DEADLINE);
        }
    }

    @Test
    void holdsOpenedAndClosedFromEightThreadsWhileChangesStreamNeitherWedgeNorLoseAnything() throws Exception {
        Recorder rec = workingRecorder(new Random(11));
        AtomicReference<FluxSink<SourceEvent>> sink = new AtomicReference<>();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(rec).source(sharedSource(sink))
                .window(Duration.ofMillis(1)).retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(2))).build();
        daemon.start();
        ExecutorService pool = Executors.newFixedThreadPool(9);
        CountDownLatch go = new CountDownLatch(1);
        Set<Path> truth = Collections.synchronizedSet(new HashSet<>());
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            all.add(CompletableFuture.runAsync(() -> {
                awaitLatch(go);
                Random r = new Random(3);
                for (int i = 0; i < 50_000; i++) {
                    Path path = Path.of("/w/h" + r.nextInt(300));
                    if (truth.add(path)) {
                        sink.get().next(Change.created(path));
                    } else if (r.nextBoolean()) {
                        sink.get().next(Change.modified(path));
                    } else {
                        truth.remove(path);
                        sink.get().next(Change.deleted(path));
                    }
                }
            }, pool));
            for (int t = 0; t < 8; t++) {
                int thread = t;
                all.add(CompletableFuture.runAsync(() -> {
                    awaitLatch(go);
                    for (int i = 0; i < 2_000; i++) {
                        try (Hold hold = daemon.hold("thread " + thread)) {
                            Thread.onSpinWait();
                        }
                    }
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
        }
        try {
            await().atMost(DEADLINE).until(() -> {
                DaemonStatus s = daemon.status();
                return s.eventsSeen() == 50_000 && s.pendingChanges() == 0 && !s.pendingRerun() && !s.tickInFlight();
            });
            assertThat(daemon.status().holds()).isEmpty();
            assertThat(rec.maxConcurrent).hasValue(1);
            assertThat(rec.violations).isEmpty();
            assertThat(rec.view()).isEqualTo(truth);
        } finally {
            daemon.stop().block(DEADLINE);
        }
    }

    @Test
    void tickNowFromEightThreadsAtOnceWhileChangesStreamStaysSingleFlight() throws Exception {
        Recorder rec = workingRecorder(new Random(7));
        AtomicReference<FluxSink<SourceEvent>> sink = new AtomicReference<>();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(rec).source(sharedSource(sink))
                .window(Duration.ofMillis(1)).retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(2))).build();
        daemon.start();
        ExecutorService pool = Executors.newFixedThreadPool(9);
        CountDownLatch go = new CountDownLatch(1);
        List<TickResult<Void>> results = new CopyOnWriteArrayList<>();
        try {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            all.add(CompletableFuture.runAsync(() -> {
                awaitLatch(go);
                for (int i = 0; i < 20_000; i++) {
                    sink.get().next(Change.modified(Path.of("/w/s" + (i % 100))));
                }
            }, pool));
            for (int t = 0; t < 8; t++) {
                all.add(CompletableFuture.runAsync(() -> {
                    awaitLatch(go);
                    for (int i = 0; i < 20; i++) {
                        results.add(daemon.tickNow().block(DEADLINE));
                    }
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        } finally {
            pool.shutdown();
            daemon.stop().block(DEADLINE);
        }
        assertThat(results).hasSize(160).allSatisfy(r -> assertThat(r.tick().triggers()).contains(Trigger.MANUAL));
        assertThat(rec.maxConcurrent).hasValue(1);
        // Requests that arrive while a tick runs share the one pending rerun.
        assertThat(results.stream().map(r -> r.tick().number()).distinct().count()).isLessThanOrEqualTo(160);
    }

    @Test
    void everySubscriberOfTicksAndStatusUpdatesSeesTheSameSequence() throws Exception {
        Recorder rec = workingRecorder(new Random(3));
        AtomicReference<FluxSink<SourceEvent>> sink = new AtomicReference<>();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(rec).source(sharedSource(sink))
                .window(Duration.ofMillis(1)).retry(RetryPolicy.backoff(Duration.ofMillis(1), Duration.ofMillis(2))).build();
        List<List<Long>> tickSeen = new ArrayList<>();
        List<List<Long>> statusSeen = new ArrayList<>();
        List<reactor.core.Disposable> subs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Long> ticks = new CopyOnWriteArrayList<>();
            List<Long> statuses = new CopyOnWriteArrayList<>();
            tickSeen.add(ticks);
            statusSeen.add(statuses);
            subs.add(daemon.ticks().onBackpressureBuffer().publishOn(Schedulers.boundedElastic())
                    .subscribe(r -> ticks.add(r.tick().number())));
            subs.add(daemon.statusUpdates().onBackpressureBuffer()
                    .subscribe(s -> statuses.add(s.tickCount())));
        }
        daemon.start();
        LongAdder sent = new LongAdder();
        for (int i = 0; i < 5_000; i++) {
            sink.get().next(Change.modified(Path.of("/w/x" + (i % 50))));
            sent.increment();
        }
        await().atMost(DEADLINE).until(() -> daemon.status().eventsSeen() == sent.sum()
                && daemon.status().pendingChanges() == 0 && !daemon.status().tickInFlight());
        daemon.stop().block(DEADLINE);
        await().atMost(DEADLINE).until(() -> tickSeen.get(0).size() == rec.spans().size()
                && tickSeen.stream().allMatch(l -> l.size() == tickSeen.get(0).size()));
        subs.forEach(reactor.core.Disposable::dispose);
        assertThat(tickSeen.get(0)).isNotEmpty().isSorted();
        assertThat(tickSeen.get(1)).isEqualTo(tickSeen.get(0));
        assertThat(tickSeen.get(2)).isEqualTo(tickSeen.get(0));
        assertThat(statusSeen.get(0)).isSorted();
        assertThat(statusSeen.get(1)).isEqualTo(statusSeen.get(0));
        assertThat(statusSeen.get(2)).isEqualTo(statusSeen.get(0));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theReconcilerNeverRunsOnTheThreadThatEmitsEvents() throws Exception {
        List<String> reconcileThreads = new CopyOnWriteArrayList<>();
        AtomicReference<FluxSink<SourceEvent>> sink = new AtomicReference<>();
        // maxBatch 1: every event closes its batch on the emitting thread, the worst case for a source that
        // holds a lock while it emits.
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.fromRunnable(
                        () -> reconcileThreads.add(Thread.currentThread().getName())))
                .source(sharedSource(sink)).coalescing(Coalescing.window(Coalescing.DEFAULT_WINDOW, 1)).build();
        daemon.start();
        Thread emitter = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                sink.get().next(Change.modified(Path.of("/w/e" + i)));
            }
        }, "event-emitter");
        emitter.start();
        emitter.join();
        await().atMost(DEADLINE).until(() -> daemon.status().pendingChanges() == 0 && !daemon.status().tickInFlight()
                && daemon.status().eventsSeen() == 200);
        daemon.stop().block(DEADLINE);
        assertThat(reconcileThreads).isNotEmpty().doesNotContain("event-emitter");
    }
}
