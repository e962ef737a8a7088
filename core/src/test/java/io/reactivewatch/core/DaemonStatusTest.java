package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.emit;
import static io.reactivewatch.core.Fixtures.p;
import static io.reactivewatch.core.Fixtures.startAndRecord;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DaemonStatusTest {

    private static Instant at(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    @Test
    void statusFollowsEveryStepInVirtualTime() {
        Sinks.Many<SourceEvent> src = Fixtures.source();
        AtomicReference<ReconcileDaemon<Void>> daemon = new AtomicReference<>();
        StepVerifier.withVirtualTime(() -> {
                    daemon.set(ReconcileDaemon.<Void>builder(tick -> Mono.delay(Duration.ofMillis(200)).then())
                            .source(describedAs(src.asFlux(), new SourceDescription(List.of("/w"), "native", null, 42, null)))
                            .window(Duration.ofMillis(50))
                            .build());
                    return startAndRecord(daemon.get());
                })
                .expectSubscription()
                .then(() -> {
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.active()).isTrue();
                    assertThat(s.startedAt()).isEqualTo(at(0));
                    assertThat(s.watchPaths()).containsExactly("/w");
                    assertThat(s.backend()).isEqualTo("native");
                    assertThat(s.trackedFiles()).isEqualTo(42);
                    assertThat(s.coalesceWindow()).isEqualTo(50);
                    assertThat(s.coalescing()).isEqualTo("window");
                    assertThat(s.maxWait()).isNull();
                    assertThat(s.maxBatch()).as("the default window never closes by count").isNull();
                    assertThat(s.pollInterval()).isNull();
                    assertThat(s.tickInterval()).isNull();
                    assertThat(s.busyPolicy()).isEqualTo(BusyPolicy.QUEUE);
                    assertThat(s.retry()).isEqualTo("backoff(1000ms..60000ms)");
                    assertThat(s.tickInFlight()).isFalse();
                    assertThat(s.pendingRerun()).isFalse();
                    assertThat(s.tickCount()).isZero();
                    assertThat(s.lastOutcome()).isNull();
                })
                .then(() -> emit(src, Change.created(p("a")), Change.modified(p("a")), Change.created(p("b"))))
                .then(() -> {
                    // Mid-window: the changes are already pending (and would be persisted), no tick yet.
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.eventsSeen()).isEqualTo(3);
                    assertThat(s.coalescedEvents()).isEqualTo(1);
                    assertThat(s.pendingChanges()).isEqualTo(2);
                    assertThat(s.batchesSeen()).isZero();
                    assertThat(s.lastEventAt()).isEqualTo(at(0));
                    assertThat(s.tickInFlight()).isFalse();
                })
                .thenAwait(Duration.ofMillis(50))
                .then(() -> {
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.batchesSeen()).isEqualTo(1);
                    assertThat(s.tickInFlight()).isTrue();
                    assertThat(s.pendingRerun()).isFalse();
                    assertThat(s.pendingChanges()).isZero();
                    assertThat(s.tickCount()).isZero();
                })
                .thenAwait(Duration.ofMillis(20))
                .then(() -> emit(src, Change.created(p("c"))))
                .then(() -> {
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.tickInFlight()).isTrue();
                    assertThat(s.pendingRerun()).isTrue();
                    assertThat(s.pendingChanges()).isEqualTo(1);
                })
                .thenAwait(Duration.ofMillis(180))
                .assertNext(r -> {
                    assertThat(r.startedAt()).isEqualTo(at(50));
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.tickCount()).isEqualTo(1);
                    assertThat(s.lastTickAt()).isEqualTo(at(250));
                    assertThat(s.lastTickDuration()).isEqualTo(200);
                    assertThat(s.lastTickChanges()).isEqualTo(2);
                    assertThat(s.lastTickTrigger()).containsExactly(Trigger.WATCH);
                    assertThat(s.lastOutcome()).isEqualTo(Outcome.OK);
                    assertThat(s.consecutiveFailures()).isZero();
                })
                .then(() -> {
                    // The rerun for c started at once: its window closed while the first tick ran.
                    DaemonStatus s = daemon.get().status();
                    assertThat(s.tickInFlight()).isTrue();
                    assertThat(s.pendingRerun()).isFalse();
                })
                .thenAwait(Duration.ofMillis(200))
                .assertNext(r -> assertThat(Fixtures.paths(r)).containsExactly(p("c")))
                .then(() -> daemon.get().stop().subscribe())
                .thenAwait(Duration.ofMillis(1))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        DaemonStatus end = daemon.get().status();
        assertThat(end.active()).isFalse();
        assertThat(end.tickCount()).isEqualTo(2);
    }

    @Test
    void statusSerializesToCamelCaseJsonWithIsoTimestampsAndWireNames() {
        DaemonStatus s = new DaemonStatus(true, at(1000), List.of("/w"), "polling", null, "window", 50, null, 10_000,
                1000L, null, BusyPolicy.RESTART, "none", false, true, 3, 10, 2, 7, 0, at(2000), 1, 4, at(3000),
                java.util.EnumSet.of(Trigger.WATCH, Trigger.RETRY), 12L, 3, Outcome.TIMED_OUT, 2, "boom", 0, 99, 5, List.of(), 0);
        JsonNode json = JsonMapper.builder().build().valueToTree(s);
        assertThat(json.get("startedAt").asString()).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(json.get("busyPolicy").asString()).isEqualTo("restart");
        assertThat(json.get("lastOutcome").asString()).isEqualTo("timed-out");
        assertThat(json.get("lastTickTrigger").toString()).isEqualTo("[\"watch\",\"retry\"]");
        assertThat(json.get("pendingRerun").asBoolean()).isTrue();
        assertThat(json.get("lastTickDuration").asLong()).isEqualTo(12);
        assertThat(json.has("tickInFlight")).isTrue();
        assertThat(json.get("backendError").isNull()).isTrue();
        assertThat(json.get("pollInterval").asLong()).isEqualTo(1000);
        assertThat(json.get("retry").asString()).isEqualTo("none");
        assertThat(json.get("trackedFiles").asLong()).isEqualTo(99);
        assertThat(json.get("trackedDirectories").asLong()).isEqualTo(5);
    }

    @Test
    void aPollingSourceScanIntervalAndThePeriodicTickIntervalAreTwoFields() {
        SourceDescription polling = new SourceDescription(List.of("/w"), "polling", null, 0, Duration.ofSeconds(2));
        ReconcileDaemon<Void> d = ReconcileDaemon.<Void>builder(tick -> Mono.empty())
                .source(describedAs(Flux.never(), polling))
                .settle(Duration.ofMillis(300), Duration.ofSeconds(3))
                .tickInterval(Duration.ofMinutes(1))
                .build();
        DaemonStatus s = d.status();
        assertThat(s.pollInterval()).isEqualTo(2000);
        assertThat(s.tickInterval()).isEqualTo(60_000);
        assertThat(s.coalescing()).isEqualTo("settle");
        assertThat(s.coalesceWindow()).isEqualTo(300);
        assertThat(s.maxWait()).isEqualTo(3000);
        assertThat(s.maxBatch()).as("settle never closes a batch by count").isNull();
    }

    private static ChangeSource describedAs(Flux<SourceEvent> events, SourceDescription description) {
        return new ChangeSource() {
            @Override
            public Flux<SourceEvent> events() {
                return events;
            }

            @Override
            public SourceDescription describe() {
                return description;
            }
        };
    }

    @Test
    void statusUpdatesReplayTheLatestSnapshotAndCompleteAtStop() {
        StepVerifier.withVirtualTime(() -> {
                    ReconcileDaemon<Void> d = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).build();
                    d.start();
                    return d.statusUpdates().take(1).concatWith(d.stop().then(Mono.empty()));
                })
                .assertNext(s -> assertThat(s.active()).isTrue())
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }
}
