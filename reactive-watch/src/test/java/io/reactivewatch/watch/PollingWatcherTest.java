package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollingWatcherTest {

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofMillis(700);

    @Test
    void idleBackoffDoublesPerQuietScanUpToTheCap() {
        Duration d = BASE;
        d = PollingWatcher.nextInterval(d, false, BASE, CAP);
        assertThat(d).isEqualTo(Duration.ofMillis(200));
        d = PollingWatcher.nextInterval(d, false, BASE, CAP);
        assertThat(d).isEqualTo(Duration.ofMillis(400));
        d = PollingWatcher.nextInterval(d, false, BASE, CAP);
        assertThat(d).isEqualTo(CAP);
        assertThat(PollingWatcher.nextInterval(d, false, BASE, CAP)).isEqualTo(CAP);
    }

    @Test
    void theFirstChangeResetsTheInterval() {
        assertThat(PollingWatcher.nextInterval(CAP, true, BASE, CAP)).isEqualTo(BASE);
    }

    @Test
    void withoutBackoffTheIntervalStaysFixed() {
        assertThat(PollingWatcher.nextInterval(BASE, false, BASE, null)).isEqualTo(BASE);
    }
}
