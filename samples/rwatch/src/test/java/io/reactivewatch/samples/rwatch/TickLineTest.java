package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickLineTest {

    private static final Path ROOT = Path.of("/w");
    private static final Roots ROOTS = new Roots(List.of(ROOT));
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static TickResult<CommandResult> result(Outcome outcome, CommandResult value, Change... changes) {
        Tick tick = new Tick(3, EnumSet.of(Trigger.WATCH), ChangeSet.of(changes));
        return new TickResult<>(tick, outcome, value, null, T0, T0.plusMillis(4));
    }

    /** A tick whose command failed: the reconcile's error carries the command's result. */
    private static TickResult<CommandResult> failed(CommandResult command, Change... changes) {
        Tick tick = new Tick(3, EnumSet.of(Trigger.WATCH), ChangeSet.of(changes));
        return new TickResult<>(tick, Outcome.FAILED, null, new CommandFailure(command), T0, T0.plusMillis(4));
    }

    @Test
    void summarisesCountsByKindAndNamesTheFirstPaths() {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            changes.add(Change.created(ROOT.resolve("n" + i)));
        }
        changes.add(Change.modified(ROOT.resolve("m")));
        changes.add(Change.deleted(ROOT.resolve("d")));
        String line = TickLine.format(result(Outcome.OK, null, changes.toArray(new Change[0])), ROOTS);
        assertThat(line).isEqualTo("rwatch: tick 3 [watch] 12 changes (+10 ~1 -1) in 4 ms | n0, n1, n2 +9 more");
    }

    @Test
    void saysChangeInTheSingular() {
        assertThat(TickLine.format(result(Outcome.OK, null, Change.modified(ROOT.resolve("a/b.txt"))), ROOTS))
                .isEqualTo("rwatch: tick 3 [watch] 1 change (+0 ~1 -0) in 4 ms | a/b.txt");
    }

    @Test
    void aTickWithoutChangesSaysSo() {
        assertThat(TickLine.format(result(Outcome.OK, null), ROOTS)).isEqualTo("rwatch: tick 3 [watch] no changes in 4 ms");
    }

    @Test
    void showsTheCommandsExitStatus() {
        assertThat(TickLine.format(result(Outcome.OK, CommandResult.exited(0), Change.modified(ROOT.resolve("x"))), ROOTS))
                .isEqualTo("rwatch: tick 3 [watch] 1 change (+0 ~1 -0) in 4 ms, exit 0 | x");
    }

    @Test
    void aNonZeroExitIsTheCoresFailedOutcomeWithTheExitStatus() {
        assertThat(TickLine.format(failed(CommandResult.exited(2), Change.modified(ROOT.resolve("x"))), ROOTS))
                .isEqualTo("rwatch: tick 3 [watch] 1 change (+0 ~1 -0), failed after 4 ms, exit 2 | x");
    }

    @Test
    void showsWhyTheCommandCouldNotStart() {
        assertThat(TickLine.format(failed(CommandResult.notStarted("cannot run nope")), ROOTS))
                .isEqualTo("rwatch: tick 3 [watch] no changes, failed after 4 ms: cannot run nope");
    }

    @Test
    void aCancelledTickSaysAfterHowLong() {
        assertThat(TickLine.format(result(Outcome.CANCELLED, null, Change.modified(ROOT.resolve("x"))), ROOTS))
                .isEqualTo("rwatch: tick 3 [watch] 1 change (+0 ~1 -0), cancelled after 4 ms | x");
    }

    @Test
    void aTimedOutTickNamesTheOptionInsteadOfTheCoresMessage() {
        Tick tick = new Tick(3, EnumSet.of(Trigger.WATCH), ChangeSet.of(Change.modified(ROOT.resolve("x"))));
        TickResult<CommandResult> timedOut = new TickResult<>(tick, Outcome.TIMED_OUT, null,
                new java.util.concurrent.TimeoutException("reconcile did not finish within 2000 ms"), T0, T0.plusMillis(4));
        assertThat(TickLine.format(timedOut, ROOTS))
                .isEqualTo("rwatch: tick 3 [watch] 1 change (+0 ~1 -0), timed-out after 4 ms (--timeout) | x");
    }
}
