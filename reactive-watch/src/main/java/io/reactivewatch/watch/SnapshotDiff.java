package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The difference between two snapshots of the same tree, as changes: a pure function of its inputs, which
 * it only reads (never the disk).
 *
 * <p>A directory is reported created before what it holds, and deleted after it. A directory whose metadata
 * changed is not reported (its entries are). A path whose type flips between file and directory is
 * reported deleted, then created. A file whose metadata changed is modified unless both sides carry the
 * same content hash for the same size: content dedupe hashes the fresh side first
 * ({@link Snapshot#fillHashes}), then diffs.
 */
final class SnapshotDiff {

    private final TreeView before;
    private final TreeView after;
    private final List<Change> out = new ArrayList<>();

    private SnapshotDiff(TreeView before, TreeView after) {
        this.before = before;
        this.after = after;
    }

    /**
     * Diffs two snapshots of one top path.
     *
     * @throws IllegalArgumentException if the snapshots have different tops
     */
    static List<Change> diff(TreeView before, TreeView after) {
        if (!before.top().equals(after.top())) {
            throw new IllegalArgumentException("snapshots of different trees: " + before.top() + ", " + after.top());
        }
        SnapshotDiff d = new SnapshotDiff(before, after);
        d.compare(before.top(), before.topStat(), after.topStat());
        return d.out;
    }

    private void compare(Path path, Stat a, Stat b) {
        if (a == null && b == null) {
            return;
        }
        if (b == null) {
            deleted(path, a);
        } else if (a == null) {
            created(path, b);
        } else if (a.isDir() != b.isDir()) {
            deleted(path, a);
            created(path, b);
        } else if (b.isDir()) {
            compareDirs(path);
        } else {
            if (changed(a, b)) {
                out.add(new Change(path, ChangeKind.MODIFIED, EntryType.FILE));
            }
        }
    }

    /** Whether a file (or link) changed: its metadata did, and no known equal content says otherwise. */
    private static boolean changed(Stat a, Stat b) {
        if (a.sameMetadata(b)) {
            return false;
        }
        boolean sameContent = a.hash() != 0 && a.hash() == b.hash() && a.size() == b.size() && a.type() == b.type()
                && b.type() == Stat.FILE;
        return !sameContent;
    }

    private void compareDirs(Path dir) {
        DirEntries a = before.node(dir);
        DirEntries b = after.node(dir);
        if (b != null && b.isUnreadable() && a != null) {
            return; // entries unknown now: keep what was known rather than report it deleted
        }
        int na = a == null ? 0 : a.size();
        int nb = b == null ? 0 : b.size();
        int i = 0;
        int j = 0;
        while (i < na || j < nb) {
            int cmp = i >= na ? 1 : j >= nb ? -1 : a.name(i).compareTo(b.name(j));
            if (cmp < 0) {
                deleted(dir.resolve(a.name(i)), a.stat(i));
                i++;
            } else if (cmp > 0) {
                created(dir.resolve(b.name(j)), b.stat(j));
                j++;
            } else {
                compare(dir.resolve(a.name(i)), a.stat(i), b.stat(j));
                i++;
                j++;
            }
        }
    }

    private void deleted(Path path, Stat stat) {
        if (stat.isDir()) {
            DirEntries node = before.node(path);
            if (node != null) {
                for (int i = 0; i < node.size(); i++) {
                    deleted(path.resolve(node.name(i)), node.stat(i));
                }
            }
        }
        out.add(new Change(path, ChangeKind.DELETED, stat.entryType()));
    }

    private void created(Path path, Stat stat) {
        out.add(new Change(path, ChangeKind.CREATED, stat.entryType()));
        if (stat.isDir()) {
            DirEntries node = after.node(path);
            if (node != null) {
                for (int i = 0; i < node.size(); i++) {
                    created(path.resolve(node.name(i)), node.stat(i));
                }
            }
        }
    }
}
