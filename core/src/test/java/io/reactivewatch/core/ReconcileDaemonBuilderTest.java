package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class ReconcileDaemonBuilderTest {

    private static ReconcileDaemon.Builder<Void> builder() {
        return ReconcileDaemon.builder(tick -> Mono.empty());
    }

    @Test
    void aNullReconcilerIsRejectedByName() {
        assertThatThrownBy(() -> ReconcileDaemon.builder(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reconciler");
    }

    @Test
    void aZeroOrNegativeWindowIsRejectedByName() {
        assertThatThrownBy(() -> builder().window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> builder().window(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> builder().window(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("window");
    }

    @Test
    void aBudgetOrBatchBelowOneIsRejectedByName() {
        assertThatThrownBy(() -> builder().maxChangesPerTick(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChangesPerTick");
        assertThatThrownBy(() -> builder().maxBatch(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
    }

    @Test
    void settleNeedsAMaxWaitNotShorterThanTheQuietPeriod() {
        assertThatThrownBy(() -> builder().settle(Duration.ofSeconds(1), Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    }

    @Test
    void retryBackoffAndTimeoutsAreValidated() {
        assertThatThrownBy(() -> builder().retryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryBackoff");
        assertThatThrownBy(() -> builder().tickTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tickTimeout");
        assertThatThrownBy(() -> builder().stopGracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stopGracePeriod");
        assertThatThrownBy(() -> builder().pollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pollInterval");
    }

    @Test
    void nullCollaboratorsAreRejectedByName() {
        assertThatThrownBy(() -> builder().source(null)).hasMessageContaining("source");
        assertThatThrownBy(() -> builder().busyPolicy(null)).hasMessageContaining("busyPolicy");
        assertThatThrownBy(() -> builder().scheduler(null)).hasMessageContaining("scheduler");
        assertThatThrownBy(() -> builder().stateStore(null)).hasMessageContaining("stateStore");
        assertThatThrownBy(() -> builder().sourceTrigger(Trigger.MANUAL)).hasMessageContaining("sourceTrigger");
    }

    @Test
    void aSourceStateWithoutAStoreIsAConflictAtBuild() {
        SourceState state = new SourceState() {
            @Override
            public java.util.List<SourceEvent> restore(tools.jackson.databind.JsonNode persisted) {
                return java.util.List.of();
            }

            @Override
            public tools.jackson.databind.JsonNode snapshot() {
                return null;
            }
        };
        assertThatThrownBy(() -> builder().sourceState(state).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("stateStore");
    }

    @Test
    void aDaemonStartsOnceAndATickNowBeforeStartFails() {
        ReconcileDaemon<Void> daemon = builder().build();
        assertThatThrownBy(() -> daemon.tickNow().block()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not started");
        daemon.start();
        try {
            assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class);
        } finally {
            daemon.close();
        }
        assertThatThrownBy(() -> daemon.tickNow().block()).isInstanceOf(IllegalStateException.class);
    }
}
