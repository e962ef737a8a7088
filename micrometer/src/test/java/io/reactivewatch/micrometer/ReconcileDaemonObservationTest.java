package io.reactivewatch.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.reactivewatch.core.Change;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.RetryPolicy;
import io.reactivewatch.core.SourceEvent;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

class ReconcileDaemonObservationTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final Sinks.Many<SourceEvent> source = Sinks.many().unicast().onBackpressureBuffer();
    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(
                    tick -> tick.changes().paths().contains(Path.of("bad"))
                            ? Mono.error(new IllegalStateException("boom"))
                            : Mono.delay(Duration.ofMillis(100), time).then())
            .source(source.asFlux())
            .window(Duration.ofMillis(50))
            .retry(RetryPolicy.none())
            .scheduler(time)
            .build();

    @AfterEach
    void stop() {
        daemon.stop().subscribe();
        time.advanceTimeBy(Duration.ofSeconds(30));
        time.dispose();
    }

    @Test
    void aTickIsOneObservationThatStartsWhenTheReconcileIsCalledAndStopsWithItsResult() {
        ReconcileDaemonObservation.observe(daemon, "docs", registry);
        daemon.start();
        source.tryEmitNext(Change.created(Path.of("a")));
        time.advanceTimeBy(Duration.ofMillis(60));

        assertThat(registry).hasSingleObservationThat().hasNameEqualTo(ReconcileDaemonObservation.NAME)
                .hasBeenStarted().isNotStopped();

        time.advanceTimeBy(Duration.ofMillis(100));
        assertThat(registry).hasSingleObservationThat()
                .hasContextualNameEqualTo("watch docs")
                .hasLowCardinalityKeyValue("watcher", "docs")
                .hasLowCardinalityKeyValue("trigger", "watch")
                .hasLowCardinalityKeyValue("outcome", "ok")
                .hasHighCardinalityKeyValue("tick", "1")
                .hasHighCardinalityKeyValue("changes", "1")
                .hasBeenStopped();
    }

    @Test
    void aFailedTickRecordsItsError() {
        ReconcileDaemonObservation.observe(daemon, "docs", registry);
        daemon.start();
        source.tryEmitNext(Change.created(Path.of("bad")));
        time.advanceTimeBy(Duration.ofMillis(60));

        assertThat(registry).hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", "failed")
                .assertThatError().hasMessage("boom");
    }

    @Test
    void disposingStopsObserving() {
        Disposable observing = ReconcileDaemonObservation.observe(daemon, "docs", registry);
        daemon.start();
        observing.dispose();
        daemon.tickNow().subscribe();
        time.advanceTimeBy(Duration.ofMillis(200));

        assertThat(registry).doesNotHaveAnyObservation();
        assertThat(daemon.status().tickCount()).isEqualTo(1);
    }
}
