package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Property-style tests: seeded random schedules of changes, manual ticks, reconcile durations, failures and
 * hangs and holds, each run in its own virtual-time scheduler. Whatever the schedule, the invariants of the design hold.
 * A failing seed reproduces exactly.
 */
class RandomScheduleTest {

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void anyScheduleKeepsSingleFlightLosesNothingAndWastesNoTick(long seed) {
        Random rnd = new Random(seed);
        VirtualTimeScheduler vts = VirtualTimeScheduler.create();
        long failUntil = 5_000;
        Recorder rec = new Recorder(tick -> {
            long now = vts.now(TimeUnit.MILLISECONDS);
            int roll = rnd.nextInt(100);
            if (now < failUntil && roll < 8) {
                return Mono.error(new IllegalStateException("random failure"));
            }
            if (now < failUntil && roll < 12) {
                return Mono.never();
            }
            return Mono.delay(Duration.ofMillis(rnd.nextInt(300)), vts).then();
        }, vts);

        BusyPolicy policy = rnd.nextBoolean() ? BusyPolicy.QUEUE : BusyPolicy.RESTART;
        boolean retries = rnd.nextInt(4) != 0;
        Sinks.Many<SourceEvent> src = Sinks.many().unicast().onBackpressureBuffer();
        ReconcileDaemon.Builder<Void> b = ReconcileDaemon.builder(rec).source(src.asFlux()).scheduler(vts).ioScheduler(vts)
                .busyPolicy(policy)
                .tickTimeout(Duration.ofMillis(400))
                .retry(!retries ? RetryPolicy.none()
                        : RetryPolicy.backoff(Duration.ofMillis(10 + rnd.nextInt(50)), Duration.ofMillis(500)));
        if (rnd.nextBoolean()) {
            b.coalescing(Coalescing.window(Duration.ofMillis(10 + rnd.nextInt(100)), 1 + rnd.nextInt(200)));
        } else {
            int quiet = 10 + rnd.nextInt(100);
            b.settle(Duration.ofMillis(quiet), Duration.ofMillis(quiet * (1 + rnd.nextInt(5))));
        }
        if (rnd.nextBoolean()) {
            b.maxChangesPerTick(1 + rnd.nextInt(20));
        }
        ReconcileDaemon<Void> daemon = b.build();

        // Truth: which of 20 paths exist after each event; events are generated consistently with it.
        Set<Path> truth = new HashSet<>();
        List<Object> manualResults = new ArrayList<>();
        int manualRequests = 0;
        long t = 0;
        for (int i = 0; i < 300; i++) {
            t += rnd.nextInt(rnd.nextInt(10) == 0 ? 400 : 20);
            Path path = Fixtures.p(rnd.nextInt(20));
            Change change;
            if (!truth.contains(path)) {
                change = Change.created(path);
                truth.add(path);
            } else if (rnd.nextBoolean()) {
                change = Change.modified(path);
            } else {
                change = Change.deleted(path);
                truth.remove(path);
            }
            vts.schedule(() -> src.emitNext(change, Sinks.EmitFailureHandler.FAIL_FAST), 1 + t, TimeUnit.MILLISECONDS);
            if (rnd.nextInt(30) == 0) {
                manualRequests++;
                vts.schedule(() -> daemon.tickNow().subscribe(manualResults::add, manualResults::add),
                        1 + t, TimeUnit.MILLISECONDS);
            }
        }

        if (!retries) {
            // With no retry, a failed tick's changes wait for the next tick: the last one may be this request.
            manualRequests++;
            vts.schedule(() -> daemon.tickNow().subscribe(manualResults::add, manualResults::add),
                    Math.max(t, failUntil) + 1_000, TimeUnit.MILLISECONDS);
        }
        // Up to three holds, possibly overlapping, each closed again: no tick may start while one is open.
        List<long[]> held = new ArrayList<>();
        for (int k = rnd.nextInt(4); k > 0; k--) {
            long open = 1 + rnd.nextInt((int) Math.max(1, t));
            long close = open + 1 + rnd.nextInt(2_000);
            held.add(new long[] {open, close});
            java.util.concurrent.atomic.AtomicReference<Hold> hold = new java.util.concurrent.atomic.AtomicReference<>();
            vts.schedule(() -> hold.set(daemon.hold("hold " + open)), open, TimeUnit.MILLISECONDS);
            vts.schedule(() -> hold.get().close(), close, TimeUnit.MILLISECONDS);
        }
        daemon.start();
        vts.advanceTimeBy(Duration.ofSeconds(120));

        String where = "seed " + seed + ", policy " + policy + (retries ? "" : ", retry none") + ", holds " + held.size();
        assertThat(rec.maxConcurrent.get()).as("concurrent reconciles, " + where).isEqualTo(1);
        assertThat(rec.violations).as("contradictory changes, " + where).isEmpty();
        assertThat(rec.view()).as("reconciled view vs truth, " + where).isEqualTo(truth);
        DaemonStatus status = daemon.status();
        assertThat(status.pendingChanges()).as(where).isZero();
        assertThat(status.tickInFlight()).as(where).isFalse();
        assertThat(status.pendingRerun()).as(where).isFalse();
        assertThat(status.holds()).as(where).isEmpty();
        for (Recorder.Span span : rec.spans()) {
            Tick tick = span.tick();
            for (long[] h : held) {
                assertThat(span.startMillis() > h[0] && span.startMillis() < h[1])
                        .as("tick %d started at %d ms inside the hold %d..%d ms, %s", tick.number(),
                                span.startMillis(), h[0], h[1], where)
                        .isFalse();
            }
            if (!tick.triggers().contains(Trigger.MANUAL)) {
                assertThat(tick.changes().isEmpty()).as("tick %d ran with nothing to do, %s", tick.number(), where).isFalse();
            }
        }
        assertThat(manualResults).as("every manual request answered, " + where).hasSize(manualRequests)
                .allSatisfy(r -> assertThat(((TickResult<?>) r).tick().triggers()).contains(Trigger.MANUAL));
        daemon.stop().subscribe();
        vts.advanceTimeBy(Duration.ofSeconds(1));
        vts.dispose();
    }
}
