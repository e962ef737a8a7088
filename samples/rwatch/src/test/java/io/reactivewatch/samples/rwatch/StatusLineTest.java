package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private static DaemonStatus status(long ticks, boolean inFlight, int pending, int lastChanges, Long lastMs, long files) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new DaemonStatus(true, t, List.of("/w"), "native", null, "window", 50, null, null, null, null,
                BusyPolicy.QUEUE, "none", inFlight, pending > 0, pending, 10, 2, 1, 0, t, 0, ticks, t,
                Set.of(Trigger.WATCH), lastMs, lastChanges, Outcome.OK, 0, null, 0, files);
    }

    @Test
    void showsTheLastTickItsChangesAndDurationAndWhatIsPending() {
        assertThat(StatusLine.format(status(12, false, 2, 3, 41L, 120)))
                .isEqualTo("rwatch: tick 12: 3 changes in 41 ms | pending 2 | idle | 120 files");
    }

    @Test
    void saysWhenATickIsRunning() {
        assertThat(StatusLine.format(status(1, true, 0, 1, 5L, 1)))
                .isEqualTo("rwatch: tick 1: 1 change in 5 ms | pending 0 | running | 1 file");
    }

    @Test
    void beforeTheFirstTickSaysSo() {
        assertThat(StatusLine.format(status(0, false, 0, 0, null, 0)))
                .isEqualTo("rwatch: no tick yet | pending 0 | idle | 0 files");
    }
}
