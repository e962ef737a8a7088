package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The engine's pending set on its own: what {@code add} reports, {@code force}, the rescan marker through
 * {@code markRescan}, {@code addAll} and {@code putBack}, and draining within a budget.
 */
class PendingChangesTest {

    private static final Path A = p("a");
    private static final Rescan OVERFLOW = new Rescan(p(""), "overflow");

    private static PendingChanges pendingOf(SourceEvent... events) {
        PendingChanges pending = new PendingChanges();
        for (SourceEvent e : events) {
            pending.add(e);
        }
        return pending;
    }

    @Test
    void addTellsWhetherItAddedAPathThatWasNotPending() {
        PendingChanges pending = new PendingChanges();
        assertThat(pending.add(Change.created(A))).isTrue();
        assertThat(pending.add(Change.modified(A))).isFalse();
        assertThat(pending.add(OVERFLOW)).isFalse();
        assertThat(pending.add(Change.deleted(A))).isFalse(); // created then deleted: gone, but not added
        assertThat(pending.add(Change.created(A))).isTrue();
    }

    @Test
    void aChangeOfEntryTypeAloneReplacesThePendingChange() {
        PendingChanges pending = pendingOf(Change.modified(A), Change.modified(p("b")));
        pending.add(new Change(A, ChangeKind.MODIFIED, EntryType.DIR));
        assertThat(pending.drainAll().changes())
                .containsExactly(new Change(A, ChangeKind.MODIFIED, EntryType.DIR), Change.modified(p("b")));
    }

    @Test
    void sizeAndEmptinessCountTheMarkerAsWork() {
        PendingChanges pending = new PendingChanges();
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.size()).isZero();
        pending.markRescan();
        assertThat(pending.isEmpty()).isFalse();
        assertThat(pending.size()).isZero();
        pending.add(Change.created(A));
        pending.add(Change.created(p("b")));
        assertThat(pending.size()).isEqualTo(2);
        pending.drainAll();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void markRescanSetsTheMarkerOfTheNextDrain() {
        PendingChanges pending = pendingOf(Change.created(A));
        pending.markRescan();
        ChangeSet drained = pending.drainAll();
        assertThat(drained.rescan()).isTrue();
        assertThat(drained.paths()).containsExactly(A);
        assertThat(pending.drainAll().rescan()).isFalse();
    }

    @Test
    void forceSetsThePathToTheTruthWhateverWasPendingAndKeepsItsPlace() {
        PendingChanges pending = pendingOf(Change.created(A), Change.modified(p("b")));
        // created then deleted would cancel out; forced, the deletion is what the reconciler is told.
        pending.force(Change.deleted(A));
        pending.force(Change.created(p("c")));
        assertThat(pending.drainAll().changes())
                .containsExactly(Change.deleted(A), Change.modified(p("b")), Change.created(p("c")));
    }

    @Test
    void addAllMergesBySetAndKeepsEitherMarker() {
        PendingChanges pending = pendingOf(Change.created(A));
        pending.addAll(ChangeSet.of(OVERFLOW, Change.deleted(A), Change.created(p("b"))));
        ChangeSet first = pending.drainAll();
        assertThat(first.rescan()).isTrue();
        assertThat(first.changes()).containsExactly(Change.created(p("b")));

        PendingChanges marked = pendingOf(OVERFLOW);
        marked.addAll(ChangeSet.of(Change.created(A)));
        assertThat(marked.drainAll().rescan()).as("a set without a marker keeps the pending one").isTrue();
    }

    @Test
    void putBackKeepsTheRescanMarkerOfWhatArrivedMeanwhile() {
        // A tick failed; while it ran an overflow arrived. Its changes go back in front, the marker stays.
        PendingChanges pending = pendingOf(OVERFLOW, Change.created(p("new")));
        pending.putBack(ChangeSet.of(Change.modified(p("old"))));
        ChangeSet next = pending.drainAll();
        assertThat(next.rescan()).isTrue();
        assertThat(next.paths()).containsExactly(p("old"), p("new"));
    }

    @Test
    void putBackKeepsTheRescanMarkerOfTheSetPutBack() {
        PendingChanges pending = pendingOf(Change.created(p("new")));
        pending.putBack(ChangeSet.of(OVERFLOW, Change.modified(p("old"))));
        ChangeSet next = pending.drainAll();
        assertThat(next.rescan()).isTrue();
        assertThat(next.paths()).containsExactly(p("old"), p("new"));
    }

    @Test
    void putBackOfAMarkerAloneMarksWhatIsPending() {
        PendingChanges pending = pendingOf(Change.created(p("new")));
        pending.putBack(ChangeSet.of(OVERFLOW));
        ChangeSet next = pending.drainAll();
        assertThat(next.rescan()).isTrue();
        assertThat(next.paths()).containsExactly(p("new"));
    }

    @Test
    void putBackNetsWhatArrivedMeanwhileAgainstTheOlderChanges() {
        PendingChanges pending = pendingOf(Change.deleted(p("x")), Change.modified(p("y")), Change.created(p("z")));
        pending.putBack(ChangeSet.of(Change.created(p("x")), Change.deleted(p("y"))));
        // x: created then deleted is nothing; y: deleted then modified is modified; z is new.
        assertThat(pending.drainAll().changes()).containsExactly(Change.modified(p("y")), Change.created(p("z")));
    }

    @Test
    void putBackOfNothingLeavesPendingAsItWas() {
        PendingChanges pending = pendingOf(OVERFLOW, Change.created(A));
        pending.putBack(ChangeSet.empty());
        ChangeSet next = pending.drainAll();
        assertThat(next.rescan()).isTrue();
        assertThat(next.changes()).containsExactly(Change.created(A));
    }

    @Test
    void aDrainWithinTheBudgetTakesExactlyTheBudgetAndTheMarkerGoesWithTheFirstPart() {
        PendingChanges pending = pendingOf(OVERFLOW);
        for (int i = 0; i < 5; i++) {
            pending.add(Change.created(p(i)));
        }
        ChangeSet first = pending.drain(2);
        assertThat(first.paths()).containsExactly(p(0), p(1));
        assertThat(first.rescan()).isTrue();
        assertThat(pending.size()).isEqualTo(3);
        ChangeSet second = pending.drain(2);
        assertThat(second.paths()).containsExactly(p(2), p(3));
        assertThat(second.rescan()).isFalse();
        ChangeSet last = pending.drain(2);
        assertThat(last.paths()).containsExactly(p(4));
        assertThat(pending.isEmpty()).isTrue();
        assertThat(pending.drain(2)).isSameAs(ChangeSet.empty());
    }

    @Test
    void aDrainOfExactlyTheBudgetTakesEverything() {
        PendingChanges pending = pendingOf(OVERFLOW, Change.created(p(0)), Change.created(p(1)));
        ChangeSet all = pending.drain(2);
        assertThat(all.paths()).containsExactly(p(0), p(1));
        assertThat(all.rescan()).isTrue();
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void aSnapshotIsACopyThatLeavesPendingInPlace() {
        PendingChanges pending = pendingOf(OVERFLOW, Change.created(A));
        ChangeSet snapshot = pending.snapshot();
        pending.add(Change.created(p("b")));
        assertThat(snapshot.rescan()).isTrue();
        assertThat(snapshot.changes()).containsExactly(Change.created(A));
        ChangeSet drained = pending.drainAll();
        assertThat(drained.rescan()).isTrue();
        assertThat(drained.paths()).containsExactly(A, p("b"));
        assertThat(pending.snapshot()).isSameAs(ChangeSet.empty());
    }
}
