package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ReconcileDaemonBuilderTest {

    private static ReconcileDaemon.Builder<Void> builder() {
        return ReconcileDaemon.builder(tick -> Mono.empty());
    }

    @Test
    void aNullReconcilerIsRejectedByName() {
        assertThatThrownBy(() -> ReconcileDaemon.builder(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("reconciler");
    }

    @Test
    void aZeroOrNegativeWindowIsRejectedByNameAndANullOneIsANullPointerAsDocumented() {
        assertThatThrownBy(() -> builder().window(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> builder().window(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> builder().window(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("window");
        assertThatThrownBy(() -> builder().coalescing(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("coalescing");
    }

    @Test
    void aBudgetOrBatchBelowOneIsRejectedByName() {
        assertThatThrownBy(() -> builder().maxChangesPerTick(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxChangesPerTick");
        assertThatThrownBy(() -> builder().coalescing(Coalescing.window(Duration.ofMillis(5), 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
    }

    @Test
    void settleNeedsAMaxWaitNotShorterThanTheQuietPeriod() {
        assertThatThrownBy(() -> builder().settle(Duration.ofSeconds(1), Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxWait");
    }

    @Test
    void windowAndSettleTogetherOrEitherTwiceFailAtBuildNamingBoth() {
        assertThatThrownBy(() -> builder().window(Duration.ofMillis(50)).settle(Duration.ofSeconds(2),
                Duration.ofSeconds(20)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("coalescing was set twice")
                .hasMessageContaining("window(50ms)")
                .hasMessageContaining("settle(2000ms, maxWait 20000ms)");
        assertThatThrownBy(() -> builder().window(Duration.ofMillis(50)).window(Duration.ofMillis(70)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("window(50ms").hasMessageContaining("window(70ms");
        assertThatThrownBy(() -> builder().busyPolicy(BusyPolicy.QUEUE).busyPolicy(BusyPolicy.DROP).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("busyPolicy was set twice");
    }

    @Test
    void retryBackoffAndTimeoutsAreValidated() {
        assertThatThrownBy(() -> RetryPolicy.backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retry backoff");
        assertThatThrownBy(() -> builder().retry(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("retry");
        assertThatThrownBy(() -> builder().tickTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tickTimeout");
        assertThatThrownBy(() -> builder().stopGracePeriod(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stopGracePeriod");
        assertThatThrownBy(() -> builder().tickInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tickInterval");
    }

    @Test
    void retryPoliciesSayWhatTheyDo() {
        assertThat(RetryPolicy.none().retries()).isFalse();
        assertThat(RetryPolicy.none().delayAfter(3)).isNull();
        assertThat(RetryPolicy.defaults()).isEqualTo(RetryPolicy.backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)));
        RetryPolicy p = RetryPolicy.backoff(Duration.ofMillis(100), Duration.ofMillis(350));
        assertThat(p.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(p.delayAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(p.delayAfter(3)).isEqualTo(Duration.ofMillis(350));
        assertThat(p.delayAfter(30)).isEqualTo(Duration.ofMillis(350));
        assertThat(p).hasToString("backoff(100ms..350ms)");
        assertThat(RetryPolicy.none()).hasToString("none");
    }

    @Test
    void nullCollaboratorsAreRejectedByName() {
        assertThatThrownBy(() -> builder().source((ChangeSource) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> builder().source((Flux<SourceEvent>) null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("source");
        assertThatThrownBy(() -> builder().busyPolicy(null)).hasMessageContaining("busyPolicy");
        assertThatThrownBy(() -> builder().scheduler(null)).hasMessageContaining("scheduler");
        assertThatThrownBy(() -> builder().stateStore(null)).hasMessageContaining("stateStore");
    }

    @Test
    void aSourceWhoseTriggerIsNotWatchOrPollIsRejected() {
        ChangeSource manual = new ChangeSource() {
            @Override
            public Flux<SourceEvent> events() {
                return Flux.never();
            }

            @Override
            public Trigger trigger() {
                return Trigger.MANUAL;
            }
        };
        assertThatThrownBy(() -> builder().source(manual))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("WATCH or POLL");
    }

    @Test
    void aSingleFlightTransformerRefusesDaemonOnlyOptionsByName() {
        assertThatThrownBy(() -> builder().window(Duration.ofMillis(5)).tickOnStart(true).buildSingleFlight())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("coalescing").hasMessageContaining("tickOnStart");
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
        assertThatThrownBy(daemon::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }
}
