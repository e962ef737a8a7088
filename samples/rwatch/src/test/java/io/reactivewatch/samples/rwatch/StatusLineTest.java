package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.HoldMode;
import io.reactivewatch.core.HoldStatus;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.Trigger;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private static DaemonStatus status(long ticks, boolean inFlight, int pending, long files, long dirs) {
        return status(ticks, inFlight, pending, files, dirs, null, List.of());
    }

    private static DaemonStatus status(long ticks, boolean inFlight, int pending, long files, long dirs,
            String lastError) {
        return status(ticks, inFlight, pending, files, dirs, lastError, List.of());
    }

    private static DaemonStatus status(long ticks, boolean inFlight, int pending, long files, long dirs,
            List<HoldStatus> holds) {
        return status(ticks, inFlight, pending, files, dirs, null, holds);
    }

    private static DaemonStatus status(long ticks, boolean inFlight, int pending, long files, long dirs,
            String lastError, List<HoldStatus> holds) {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new DaemonStatus(true, t, List.of("/w"), "native", null, "window", 50, null, null, null, null,
                BusyPolicy.QUEUE, "none", inFlight, pending > 0, pending, 10, 2, 1, 0, t, 0, ticks, t,
                Set.of(Trigger.WATCH), 41L, 3, Outcome.OK, 0, lastError, lastError == null ? 0 : 4, files, dirs,
                holds, holds.isEmpty() ? 0 : 1);
    }

    private static HoldStatus hold(String reason) {
        return new HoldStatus(reason, HoldMode.DEFER, Instant.parse("2026-01-01T00:00:00Z"), 0);
    }

    @Test
    void saysWhyTicksAreHeldInsteadOfIdle() {
        assertThat(StatusLine.format(status(3, false, 5, 1, 1, List.of(hold("git rebase in progress"))), false))
                .isEqualTo("rwatch: held: git rebase in progress | pending 5 | 1 file, 1 dir");
        assertThat(StatusLine.format(status(3, false, 5, 1, 1,
                List.of(hold("git merge in progress"), hold("deploying"))), false))
                .startsWith("rwatch: held: git merge in progress and 1 more | pending 5");
        assertThat(StatusLine.format(status(3, true, 5, 1, 1, List.of(hold("deploying"))), false))
                .as("a tick that runs finishes first").startsWith("rwatch: running tick 4 |");
    }

    private static final String NO_SPACE = "could not persist state to /s/state.json: IOException: No space left on device";

    @Test
    void saysWhatIsPendingAndCountsFilesAndDirectoriesApartWithoutRepeatingTheLastTick() {
        String line = StatusLine.format(status(12, false, 2, 120, 14), false);
        assertThat(line).isEqualTo("rwatch: idle | pending 2 | 120 files, 14 dirs");
        assertThat(line).as("the tick line above already said it").doesNotContain("tick 12").doesNotContain("41 ms");
    }

    @Test
    void namesTheTickThatIsRunning() {
        assertThat(StatusLine.format(status(1, true, 0, 1, 1), false))
                .isEqualTo("rwatch: running tick 2 | pending 0 | 1 file, 1 dir");
    }

    @Test
    void namesTheKeysWhenRwatchReadsThem() {
        assertThat(StatusLine.format(status(0, false, 0, 0, 0), true))
                .isEqualTo("rwatch: idle | pending 0 | 0 files, 0 dirs | " + StatusLine.KEYS);
    }

    @Test
    void aTickThatWaitsForItsChangesToBeOnDiskIsNotCalledRunning() {
        String line = StatusLine.format(status(4, true, 1, 3, 1,
                NO_SPACE + "; tick 5 waits until its changes are on disk"), false);
        assertThat(line).isEqualTo("rwatch: tick 5 waiting for state write | pending 1 | 3 files, 1 dir");
    }

    @Test
    void stateThatCannotBeWrittenWhileIdleOrRunningSaysThatTheNextTickWaitsForTheWrite() {
        assertThat(StatusLine.format(status(4, false, 2, 3, 1, NO_SPACE), false))
                .isEqualTo("rwatch: idle | waiting for state write | pending 2 | 3 files, 1 dir");
        assertThat(StatusLine.format(status(4, true, 0, 3, 1, NO_SPACE), false))
                .isEqualTo("rwatch: running tick 5 | waiting for state write | pending 0 | 3 files, 1 dir");
    }

    @Test
    void anotherErrorIsNotTakenForAStateWrite() {
        assertThat(StatusLine.format(status(4, true, 0, 3, 1, "command exited with 1; waits until its changes "
                + "are on disk"), false)).isEqualTo("rwatch: running tick 5 | pending 0 | 3 files, 1 dir");
    }
}
