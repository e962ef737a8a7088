package io.reactivewatch.watch;

import static io.reactivewatch.core.ChangeKind.CREATED;
import static io.reactivewatch.core.ChangeKind.DELETED;
import static io.reactivewatch.core.ChangeKind.MODIFIED;
import static io.reactivewatch.watch.SnapshotTest.DIR;
import static io.reactivewatch.watch.SnapshotTest.ROOT;
import static io.reactivewatch.watch.SnapshotTest.file;
import static io.reactivewatch.watch.SnapshotTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The diff is a pure function: these run without threads or a filesystem. */
class SnapshotDiffTest {

    private static Change change(String rel, ChangeKind kind, EntryType type) {
        return new Change(rel.isEmpty() ? ROOT : ROOT.resolve(rel), kind, type);
    }

    @Test
    void equalSnapshotsHaveNoChanges() {
        assertThat(SnapshotDiff.diff(tree(), tree())).isEmpty();
    }

    @Test
    void aNewFileIsCreatedAndAGoneFileDeleted() {
        Snapshot after = tree();
        after.put(ROOT.resolve("b.txt"), file(5));
        after.remove(ROOT.resolve("a.txt"));
        assertThat(SnapshotDiff.diff(tree(), after)).containsExactly(
                change("a.txt", DELETED, EntryType.FILE),
                change("b.txt", CREATED, EntryType.FILE));
    }

    @Test
    void aFileIsModifiedWhenSizeMtimeOrKeyChanges() {
        for (Stat changed : List.of(new Stat(Stat.FILE, 2, 100, 7, 0), new Stat(Stat.FILE, 1, 101, 7, 0),
                new Stat(Stat.FILE, 1, 100, 8, 0))) {
            Snapshot after = tree();
            after.put(ROOT.resolve("a.txt"), changed);
            assertThat(SnapshotDiff.diff(tree(), after)).containsExactly(change("a.txt", MODIFIED, EntryType.FILE));
        }
    }

    @Test
    void aDeletedDirectoryReportsItsDescendantsBeforeItself() {
        Snapshot after = tree();
        after.remove(ROOT.resolve("src"));
        assertThat(SnapshotDiff.diff(tree(), after)).containsExactly(
                change("src/A.java", DELETED, EntryType.FILE),
                change("src/pkg/B.java", DELETED, EntryType.FILE),
                change("src/pkg", DELETED, EntryType.DIR),
                change("src", DELETED, EntryType.DIR));
    }

    @Test
    void aCreatedDirectoryReportsItselfBeforeItsContents() {
        Snapshot before = tree();
        before.remove(ROOT.resolve("src"));
        assertThat(SnapshotDiff.diff(before, tree())).containsExactly(
                change("src", CREATED, EntryType.DIR),
                change("src/A.java", CREATED, EntryType.FILE),
                change("src/pkg", CREATED, EntryType.DIR),
                change("src/pkg/B.java", CREATED, EntryType.FILE));
    }

    @Test
    void aDirectoryWhoseOwnMetadataChangedIsNotReported() {
        Snapshot after = tree();
        after.put(ROOT.resolve("src"), new Stat(Stat.DIR, 8192, 99, 1, 0));
        assertThat(SnapshotDiff.diff(tree(), after)).isEmpty();
    }

    @Test
    void aFileReplacedByADirectoryIsDeletedThenCreated() {
        Snapshot after = tree();
        after.put(ROOT.resolve("a.txt"), DIR);
        after.put(ROOT.resolve("a.txt/inner"), file(1));
        assertThat(SnapshotDiff.diff(tree(), after)).containsExactly(
                change("a.txt", DELETED, EntryType.FILE),
                change("a.txt", CREATED, EntryType.DIR),
                change("a.txt/inner", CREATED, EntryType.FILE));
    }

    @Test
    void aTopThatAppearsIsCreatedWithEverythingInIt() {
        List<Change> changes = SnapshotDiff.diff(Snapshot.absent(ROOT), tree());
        assertThat(changes.get(0)).isEqualTo(change("", CREATED, EntryType.DIR));
        assertThat(changes).hasSize(6);
        assertThat(SnapshotDiff.diff(tree(), Snapshot.absent(ROOT))).last()
                .isEqualTo(change("", DELETED, EntryType.DIR));
    }

    @Test
    void anUnreadableDirectoryReportsNoDeletions() {
        Snapshot after = tree();
        after.putNode(ROOT.resolve("src"), DirNode.unreadable());
        assertThat(SnapshotDiff.diff(tree(), after)).isEmpty();
    }

    /** What the incremental checkpoint records between two snapshots, in path order. */
    private static Set<Path> changedEntries(Snapshot before, Snapshot after) {
        Set<Path> out = new TreeSet<>();
        SnapshotDiff.changedEntries(before, after, out);
        return out;
    }

    @Test
    void changedEntriesNameExactlyThePathsWhoseEntryDiffersAndNoOther() {
        assertThat(changedEntries(tree(), tree())).isEmpty();
        Snapshot after = tree();
        after.put(ROOT.resolve("a.txt"), file(9)); // changed
        after.put(ROOT.resolve("b.txt"), file(1)); // new, after every name already in the top
        after.remove(ROOT.resolve("src/A.java")); // gone, the first name in src
        after.put(ROOT.resolve("src/Z.java"), file(4)); // new, after every name left in src
        // Unchanged entries beside them (src, src/pkg, src/pkg/B.java) and the top are not recorded: each
        // increment stays proportional to what changed.
        assertThat(changedEntries(tree(), after)).containsExactly(ROOT.resolve("a.txt"), ROOT.resolve("b.txt"),
                ROOT.resolve("src/A.java"), ROOT.resolve("src/Z.java"));
    }

    @Test
    void changedEntriesNameEveryEntryOfADirectoryThatLeftNotJustTheDirectory() {
        Snapshot after = tree();
        after.remove(ROOT.resolve("src"));
        // A directory back at the same path before the next increment must not keep the old entries on replay.
        assertThat(changedEntries(tree(), after)).containsExactly(ROOT.resolve("src"), ROOT.resolve("src/A.java"),
                ROOT.resolve("src/pkg"), ROOT.resolve("src/pkg/B.java"));
    }

    @Test
    void changedEntriesNameADirectoryWhoseListingTurnedUnreadableOrReadableThoughItsStatIsTheSame() {
        Snapshot unreadable = tree();
        unreadable.putNode(ROOT.resolve("src/pkg"), DirNode.unreadable());
        assertThat(changedEntries(tree(), unreadable)).containsExactly(ROOT.resolve("src/pkg"),
                ROOT.resolve("src/pkg/B.java"));
        assertThat(changedEntries(unreadable, tree())).containsExactly(ROOT.resolve("src/pkg"),
                ROOT.resolve("src/pkg/B.java"));
        assertThat(changedEntries(unreadable, unreadable)).isEmpty();
    }

    @Test
    void changedEntriesNameTheTopWhenItsListingTurnedUnreadableOrItsStatChanged() {
        Snapshot unreadable = tree();
        unreadable.putNode(ROOT, DirNode.unreadable());
        assertThat(changedEntries(tree(), unreadable)).contains(ROOT);
        assertThat(changedEntries(unreadable, tree())).contains(ROOT);
        Snapshot touched = tree();
        touched.put(ROOT, new Stat(Stat.DIR, 4096, 2, 1, 0));
        assertThat(changedEntries(tree(), touched)).containsExactly(ROOT);
        // A view whose top has the same stat but no listing at all (nothing known under it) against one whose
        // listing is unreadable: only the top's own flag tells them apart, as no directory is on both sides.
        Snapshot unlisted = new Snapshot(ROOT, DIR);
        Snapshot unreadableTop = new Snapshot(ROOT, DIR);
        unreadableTop.putNode(ROOT, DirNode.unreadable());
        assertThat(changedEntries(unlisted, unreadableTop)).containsExactly(ROOT);
        assertThat(changedEntries(unlisted, new Snapshot(ROOT, DIR))).isEmpty();
    }

    @Test
    void refusesSnapshotsOfDifferentTrees() {
        assertThatThrownBy(() -> SnapshotDiff.diff(tree(), Snapshot.absent(Path.of("/other"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withContentHashesEqualBytesAreNoChangeAndHashesAreKept() {
        Map<Path, Long> contents = new java.util.HashMap<>(Map.of(ROOT.resolve("a.txt"), 11L));
        List<Path> hashed = new ArrayList<>();
        ContentHasher hasher = p -> {
            hashed.add(p);
            return contents.getOrDefault(p, 0L);
        };
        Snapshot before = tree();
        before.put(ROOT.resolve("a.txt"), file(1).withHash(11));

        Snapshot touched = tree();
        touched.put(ROOT.resolve("a.txt"), new Stat(Stat.FILE, 1, 200, 7, 0));
        touched.fillHashes(before, hasher);
        assertThat(SnapshotDiff.diff(before, touched)).isEmpty();
        assertThat(touched.get(ROOT.resolve("a.txt")).hash()).isEqualTo(11);
        assertThat(hashed).containsExactly(ROOT.resolve("a.txt"));

        contents.put(ROOT.resolve("a.txt"), 12L);
        Snapshot rewritten = tree();
        rewritten.put(ROOT.resolve("a.txt"), new Stat(Stat.FILE, 1, 300, 7, 0));
        rewritten.fillHashes(touched, hasher);
        assertThat(SnapshotDiff.diff(touched, rewritten)).containsExactly(change("a.txt", MODIFIED, EntryType.FILE));
        assertThat(rewritten.get(ROOT.resolve("a.txt")).hash()).isEqualTo(12);
    }

    @Test
    void withContentHashesUnchangedFilesAreNotReadAndKeepTheirHash() {
        Snapshot before = tree();
        before.put(ROOT.resolve("a.txt"), file(1).withHash(11));
        Snapshot after = tree();
        List<Path> hashed = new ArrayList<>();
        after.fillHashes(before, p -> {
            hashed.add(p);
            return 1;
        });
        assertThat(SnapshotDiff.diff(before, after)).isEmpty();
        assertThat(hashed).isEmpty();
        assertThat(after.get(ROOT.resolve("a.txt")).hash()).isEqualTo(11);
    }

    @Test
    void hashingReadsCreatedFilesAndFilesWhoseMetadataChangedOnly() {
        Snapshot before = tree();
        Snapshot after = tree();
        after.put(ROOT.resolve("src/A.java"), new Stat(Stat.FILE, 2, 101, 7, 0)); // touched
        after.put(ROOT.resolve("new"), DIR);
        after.put(ROOT.resolve("new/N.java"), file(4));                          // inside a new directory
        after.put(ROOT.resolve("link"), new Stat(Stat.LINK, 3, 9, 10, 0));       // not a regular file
        List<Path> hashed = new ArrayList<>();
        after.fillHashes(before, p -> {
            hashed.add(p);
            return 5;
        });
        assertThat(hashed).containsExactlyInAnyOrder(ROOT.resolve("src/A.java"), ROOT.resolve("new/N.java"));
        assertThat(after.get(ROOT.resolve("new/N.java")).hash()).isEqualTo(5);
        assertThat(after.get(ROOT.resolve("a.txt")).hash()).isZero();
    }

    @Test
    void aTopThatIsAFileIsHashedLikeAnyOther() {
        Path top = ROOT.resolve("a.txt");
        Snapshot before = new Snapshot(top, file(1).withHash(11));
        Snapshot touched = new Snapshot(top, new Stat(Stat.FILE, 1, 200, 7, 0));
        touched.fillHashes(before, p -> 11);
        assertThat(SnapshotDiff.diff(before, touched)).isEmpty();
        assertThat(touched.topStat().hash()).isEqualTo(11);
    }

    @Test
    void theDiffChangesNeitherInputAndReadsNoDisk() {
        // Paths under a root that does not exist: a diff that touched the disk could not see these files.
        Snapshot before = tree();
        before.put(ROOT.resolve("a.txt"), file(1).withHash(11));
        before.put(ROOT.resolve("gone.txt"), file(6));
        Snapshot after = tree();
        after.put(ROOT.resolve("a.txt"), new Stat(Stat.FILE, 1, 200, 7, 0)); // no hash: nothing is computed
        after.put(ROOT.resolve("new"), DIR);
        after.put(ROOT.resolve("new/N.java"), file(4));
        String beforeText = SnapshotCodec.encode(List.of(before));
        String afterText = SnapshotCodec.encode(List.of(after));

        assertThat(SnapshotDiff.diff(before, after)).containsExactly(
                change("a.txt", MODIFIED, EntryType.FILE),
                change("gone.txt", DELETED, EntryType.FILE),
                change("new", CREATED, EntryType.DIR),
                change("new/N.java", CREATED, EntryType.FILE));
        assertThat(SnapshotDiff.diff(after.view(ROOT.resolve("src")), before.view(ROOT.resolve("src")))).isEmpty();

        assertThat(SnapshotCodec.encode(List.of(before))).isEqualTo(beforeText);
        assertThat(SnapshotCodec.encode(List.of(after))).isEqualTo(afterText);
        assertThat(after.get(ROOT.resolve("a.txt")).hash()).isZero();
    }
}
