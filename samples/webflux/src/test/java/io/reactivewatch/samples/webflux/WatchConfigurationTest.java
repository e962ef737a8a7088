package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.watch.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The {@code watch.*} properties of {@code application.yml} as the daemon's settings. */
class WatchConfigurationTest {

    private static WatchProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("watch", WatchProperties.class);
    }

    @Test
    void theDefaultsAreAWindowOf50msQueueAndTheNativeBackend() {
        WatchProperties p = bind(Map.of());
        assertThat(WatchConfiguration.coalescing(p)).isEqualTo(Coalescing.window(Duration.ofMillis(50)));
        assertThat(p.busyPolicy()).isEqualTo(BusyPolicy.QUEUE);
        assertThat(p.backend()).isEqualTo(Backend.NATIVE);
    }

    @Test
    void busyPoliciesAreReadByTheirWireNames() {
        assertThat(bind(Map.of("watch.busy-policy", "queue")).busyPolicy()).isEqualTo(BusyPolicy.QUEUE);
        assertThat(bind(Map.of("watch.busy-policy", "drop")).busyPolicy()).isEqualTo(BusyPolicy.DROP);
        assertThat(bind(Map.of("watch.busy-policy", "restart")).busyPolicy()).isEqualTo(BusyPolicy.RESTART);
    }

    @Test
    void aWindowSettleAndMaxWaitBecomeOneCoalescingValue() {
        assertThat(WatchConfiguration.coalescing(bind(Map.of("watch.window", "2s"))))
                .isEqualTo(Coalescing.window(Duration.ofSeconds(2)));
        assertThat(WatchConfiguration.coalescing(bind(Map.of("watch.settle", "300ms"))))
                .isEqualTo(Coalescing.settle(Duration.ofMillis(300), Duration.ofSeconds(3)));
        assertThat(WatchConfiguration.coalescing(bind(Map.of("watch.settle", "1s", "watch.max-wait", "4s"))))
                .isEqualTo(Coalescing.settle(Duration.ofSeconds(1), Duration.ofSeconds(4)));
    }

    @Test
    void theOtherSettingsReachTheProperties() {
        WatchProperties p = bind(Map.of("watch.roots", "src,docs", "watch.state-file", "/tmp/s.json",
                "watch.backend", "polling", "watch.poll-interval", "250ms", "watch.extensions", "java,md",
                "watch.tick-on-start", "false"));
        assertThat(p.roots()).containsExactly(Path.of("src"), Path.of("docs"));
        assertThat(p.stateFile()).isEqualTo(Path.of("/tmp/s.json"));
        assertThat(p.backend()).isEqualTo(Backend.POLLING);
        assertThat(p.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(p.extensions()).containsExactly("java", "md");
        assertThat(p.tickOnStart()).isFalse();
    }
}
