package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeSetTest {

    private static final Path A = p("a");

    private static ChangeKind net(Change... events) {
        return ChangeSet.of(events).get(A).map(Change::kind).orElse(null);
    }

    @Test
    void createdThenModifiedIsCreated() {
        assertThat(net(Change.created(A), Change.modified(A))).isEqualTo(ChangeKind.CREATED);
    }

    @Test
    void createdThenDeletedIsNothingNeverCreated() {
        ChangeSet set = ChangeSet.of(Change.created(A), Change.deleted(A));
        assertThat(set.get(A)).isEmpty();
        assertThat(set.isEmpty()).isTrue();
    }

    @Test
    void deletedThenCreatedIsModified() {
        assertThat(net(Change.deleted(A), Change.created(A))).isEqualTo(ChangeKind.MODIFIED);
    }

    @Test
    void modifiedThenDeletedIsDeleted() {
        assertThat(net(Change.modified(A), Change.deleted(A))).isEqualTo(ChangeKind.DELETED);
    }

    @Test
    void repeatsCollapseToOneEntry() {
        ChangeSet set = ChangeSet.of(Change.modified(A), Change.modified(A), Change.modified(A));
        assertThat(set.size()).isEqualTo(1);
        assertThat(set.changes()).containsExactly(Change.modified(A));
    }

    @Test
    void createdDeletedCreatedIsCreatedAgain() {
        assertThat(net(Change.created(A), Change.deleted(A), Change.created(A))).isEqualTo(ChangeKind.CREATED);
    }

    @Test
    void theLaterEntryTypeWins() {
        ChangeSet set = ChangeSet.of(Change.deleted(A), new Change(A, ChangeKind.CREATED, EntryType.DIR));
        assertThat(set.get(A).orElseThrow()).isEqualTo(new Change(A, ChangeKind.MODIFIED, EntryType.DIR));
    }

    @Test
    void pathsKeepTheOrderInWhichTheyFirstChanged() {
        ChangeSet set = ChangeSet.of(Change.created(p("x")), Change.created(p("y")), Change.modified(p("x")));
        assertThat(set.paths()).containsExactly(p("x"), p("y"));
    }

    @Test
    void theRescanMarkerSurvivesMergingAndCancellation() {
        ChangeSet older = ChangeSet.of(new Rescan(p(""), "overflow"), Change.created(A));
        ChangeSet merged = older.merge(ChangeSet.of(Change.deleted(A)));
        assertThat(merged.rescan()).isTrue();
        assertThat(merged.size()).isZero();
        assertThat(merged.isEmpty()).isFalse();
    }

    @Test
    void mergeIsTheSameAsFoldingBothSequences() {
        List<SourceEvent> first = List.of(Change.created(p("1")), Change.modified(p("2")), Change.deleted(p("3")));
        List<SourceEvent> second = List.of(Change.deleted(p("1")), Change.deleted(p("2")), Change.created(p("3")));
        ChangeSet merged = ChangeSet.of(first).merge(ChangeSet.of(second));
        assertThat(merged.changes()).containsExactly(
                Change.deleted(p("2")), Change.modified(p("3")));
    }

    @Test
    void mergeLeavesBothOperandsUnchanged() {
        ChangeSet a = ChangeSet.of(Change.created(A));
        ChangeSet b = ChangeSet.of(Change.deleted(A));
        a.merge(b);
        assertThat(a.changes()).containsExactly(Change.created(A));
        assertThat(b.changes()).containsExactly(Change.deleted(A));
    }

    @Test
    void theChangeListIsUnmodifiable() {
        ChangeSet set = ChangeSet.of(Change.created(A));
        assertThatThrownBy(() -> set.changes().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> set.paths().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void pendingChangesDrainTheOldestFirstWithinTheBudgetAndPutBackInFront() {
        PendingChanges pending = new PendingChanges();
        for (int i = 0; i < 5; i++) {
            pending.add(Change.created(p(i)));
        }
        ChangeSet first = pending.drain(2);
        assertThat(first.paths()).containsExactly(p(0), p(1));
        pending.add(Change.deleted(p(0)));
        pending.putBack(first);
        // p0 was never reconciled: created then deleted is nothing; p1 goes back in front.
        assertThat(pending.drainAll().paths()).containsExactly(p(1), p(2), p(3), p(4));
    }

    @Test
    void wireNamesRoundTrip() {
        for (ChangeKind k : ChangeKind.values()) {
            assertThat(ChangeKind.fromWireName(k.wireName())).isEqualTo(k);
        }
        for (Trigger t : Trigger.values()) {
            assertThat(Trigger.fromWireName(t.wireName())).isEqualTo(t);
        }
        assertThat(Outcome.TIMED_OUT.wireName()).isEqualTo("timed-out");
        assertThatThrownBy(() -> ChangeKind.fromWireName("renamed")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renamed");
    }
}
