package io.reactivewatch.core;

import static io.reactivewatch.core.ChangeKind.CREATED;
import static io.reactivewatch.core.ChangeKind.DELETED;
import static io.reactivewatch.core.ChangeKind.MODIFIED;
import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The change algebra as a whole: every pair of kinds against the net-effect table written out by hand, for
 * both entry types on each side, and the value semantics of {@link ChangeSet} (equality, hashing, text, the
 * shared empty set) that the engine and its persisted state rely on.
 */
class ChangeAlgebraTest {

    private static final Path A = p("a");

    /** Row: the older kind; column: the later kind; null: the two cancel out. design.md, guarantee 4. */
    private static final ChangeKind[][] NET = {
        //            CREATED   MODIFIED  DELETED
        /* CREATED */ {CREATED, CREATED, null},
        /* MODIFIED */ {MODIFIED, MODIFIED, DELETED},
        /* DELETED */ {MODIFIED, MODIFIED, DELETED},
    };

    @Test
    void everyPairOfKindsCombinesAsTheTableSays() {
        for (ChangeKind older : ChangeKind.values()) {
            for (ChangeKind later : ChangeKind.values()) {
                assertThat(older.then(later)).as("%s then %s", older, later)
                        .isEqualTo(NET[older.ordinal()][later.ordinal()]);
            }
        }
    }

    @Test
    void everyPairOfChangesFoldsToTheTableKindWithTheLaterEntryType() {
        for (ChangeKind older : ChangeKind.values()) {
            for (ChangeKind later : ChangeKind.values()) {
                for (EntryType olderType : EntryType.values()) {
                    for (EntryType laterType : EntryType.values()) {
                        ChangeSet set = ChangeSet.of(new Change(A, older, olderType), new Change(A, later, laterType));
                        ChangeKind net = NET[older.ordinal()][later.ordinal()];
                        String what = older + " " + olderType + " then " + later + " " + laterType;
                        if (net == null) {
                            assertThat(set.isEmpty()).as(what).isTrue();
                        } else {
                            assertThat(set.changes()).as(what).containsExactly(new Change(A, net, laterType));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aFileReplacedByADirectoryOfTheSameKindIsADirectory() {
        // The kind does not change (modified + modified), only the entry type: the reconciler must see a dir.
        ChangeSet set = ChangeSet.of(Change.modified(A), new Change(A, MODIFIED, EntryType.DIR));
        assertThat(set.get(A)).contains(new Change(A, MODIFIED, EntryType.DIR));
        ChangeSet back = ChangeSet.of(new Change(A, CREATED, EntryType.DIR), Change.created(A));
        assertThat(back.get(A)).contains(Change.created(A));
    }

    @Test
    void mergingAgreesWithFoldingForEveryPairOfKinds() {
        for (ChangeKind older : ChangeKind.values()) {
            for (ChangeKind later : ChangeKind.values()) {
                Change first = new Change(A, older, EntryType.FILE);
                Change second = new Change(A, later, EntryType.DIR);
                assertThat(ChangeSet.of(first).merge(ChangeSet.of(second))).as("%s then %s", older, later)
                        .isEqualTo(ChangeSet.of(first, second));
            }
        }
    }

    @Test
    void mergingWithTheEmptySetOnEitherSideIsTheOtherSet() {
        ChangeSet some = ChangeSet.of(Change.created(A));
        assertThat(some.merge(ChangeSet.empty())).isSameAs(some);
        assertThat(ChangeSet.empty().merge(some)).isSameAs(some);
        ChangeSet rescanOnly = ChangeSet.of(new Rescan(p(""), "overflow"));
        assertThat(rescanOnly.merge(ChangeSet.empty())).isSameAs(rescanOnly);
        assertThat(ChangeSet.empty().merge(rescanOnly)).isSameAs(rescanOnly);
        assertThatThrownBy(() -> some.merge(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aRescanMarkerOnEitherSideOfAMergeMakesTheMergeARescan() {
        ChangeSet plain = ChangeSet.of(Change.created(p("x")));
        ChangeSet marked = ChangeSet.of(new Rescan(p(""), "overflow"), Change.modified(p("y")));
        assertThat(plain.merge(marked).rescan()).isTrue();
        assertThat(marked.merge(plain).rescan()).isTrue();
        assertThat(plain.merge(plain).rescan()).isFalse();
        assertThat(plain.merge(marked).paths()).containsExactly(p("x"), p("y"));
    }

    @Test
    void aRescanMarkerAloneIsNotEmptyButHasNoChanges() {
        ChangeSet set = ChangeSet.of(new Rescan(p(""), "lost root"));
        assertThat(set.isEmpty()).isFalse();
        assertThat(set.rescan()).isTrue();
        assertThat(set.size()).isZero();
        assertThat(set.changes()).isEmpty();
        assertThat(set).isNotEqualTo(ChangeSet.empty());
    }

    @Test
    void aSetWithNothingInItIsTheSharedEmptySet() {
        assertThat(ChangeSet.of()).isSameAs(ChangeSet.empty());
        assertThat(ChangeSet.of(Change.created(A), Change.deleted(A))).isSameAs(ChangeSet.empty());
        assertThat(ChangeSet.empty().isEmpty()).isTrue();
        assertThat(ChangeSet.empty().rescan()).isFalse();
        assertThat(ChangeSet.empty().size()).isZero();
    }

    @Test
    void theAccessorsTellWhatIsInTheSet() {
        ChangeSet set = ChangeSet.of(Change.created(p("x")), Change.deleted(p("y")));
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.isEmpty()).isFalse();
        assertThat(set.rescan()).isFalse();
        assertThat(set.paths()).containsExactly(p("x"), p("y"));
        assertThat(set.changes()).containsExactly(Change.created(p("x")), Change.deleted(p("y")));
        assertThat(set.get(p("y"))).contains(Change.deleted(p("y")));
        assertThat(set.get(p("z"))).isEmpty();
    }

    @Test
    void setsAreEqualWhenTheyHoldTheSameChangesInTheSameOrderAndTheSameMarker() {
        ChangeSet xy = ChangeSet.of(Change.created(p("x")), Change.created(p("y")));
        assertThat(xy).isEqualTo(xy);
        assertThat(xy).isEqualTo(ChangeSet.of(Change.created(p("x")), Change.created(p("y"))));
        assertThat(xy).hasSameHashCodeAs(ChangeSet.of(Change.created(p("x")), Change.created(p("y"))));
        assertThat(xy).isNotEqualTo(ChangeSet.of(Change.created(p("y")), Change.created(p("x"))));
        assertThat(xy).isNotEqualTo(ChangeSet.of(Change.created(p("x")), Change.modified(p("y"))));
        assertThat(xy).isNotEqualTo(ChangeSet.of(new Rescan(p(""), "overflow"), Change.created(p("x")),
                Change.created(p("y"))));
        assertThat(xy).isNotEqualTo(xy.changes());
        assertThat(xy).isNotEqualTo(null);
    }

    @Test
    void hashCodesTellDifferentSetsApart() {
        // Not a contract of hashCode, but sets are kept in hashed collections: they must not all collide.
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            hashes.add(ChangeSet.of(Change.created(p(i))).hashCode());
        }
        hashes.add(ChangeSet.of(new Rescan(p(""), "overflow"), Change.created(p(0))).hashCode());
        assertThat(hashes).hasSizeGreaterThan(45);
    }

    @Test
    void theTextNamesTheMarkerAndEveryChange() {
        ChangeSet marked = ChangeSet.of(new Rescan(p(""), "overflow"), Change.created(A));
        assertThat(marked.toString()).startsWith("ChangeSet[rescan]").contains(Change.created(A).toString());
        assertThat(ChangeSet.of(Change.created(A)).toString()).doesNotContain("rescan")
                .contains(Change.created(A).toString());
    }

    @Test
    void theFactoriesMakeFileChangesOfTheirKind() {
        assertThat(Change.created(A)).isEqualTo(new Change(A, CREATED, EntryType.FILE));
        assertThat(Change.modified(A)).isEqualTo(new Change(A, MODIFIED, EntryType.FILE));
        assertThat(Change.deleted(A)).isEqualTo(new Change(A, DELETED, EntryType.FILE));
        assertThatThrownBy(() -> new Change(null, CREATED, EntryType.FILE)).hasMessage("path");
        assertThatThrownBy(() -> new Change(A, null, EntryType.FILE)).hasMessage("kind");
        assertThatThrownBy(() -> new Change(A, CREATED, null)).hasMessage("type");
        assertThatThrownBy(() -> ChangeSet.of(List.of(Change.created(A), null)))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void wireNamesAreLowerCaseAndParsedWhateverTheirCase() {
        assertThat(List.of(ChangeKind.values())).extracting(ChangeKind::wireName)
                .containsExactly("created", "modified", "deleted");
        assertThat(List.of(EntryType.values())).extracting(EntryType::wireName).containsExactly("file", "dir");
        for (ChangeKind k : ChangeKind.values()) {
            assertThat(ChangeKind.fromWireName(k.wireName().toUpperCase())).isEqualTo(k);
        }
        for (EntryType t : EntryType.values()) {
            assertThat(EntryType.fromWireName(t.wireName())).isEqualTo(t);
            assertThat(EntryType.fromWireName(t.wireName().toUpperCase())).isEqualTo(t);
        }
        assertThatThrownBy(() -> EntryType.fromWireName("symlink")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symlink");
    }
}
