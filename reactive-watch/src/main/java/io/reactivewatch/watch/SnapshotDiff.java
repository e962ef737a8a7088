package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

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

    /**
     * Every path whose tracked entry differs between two snapshots of one top path, reported or not: any
     * stat field (content hash included), presence, or a directory's unreadable flag. A directory that left
     * takes all its entries with it, and one that arrived brings all of them. What the incremental checkpoint
     * records, so that replaying it rebuilds {@code after} exactly.
     *
     * @param out where the paths go
     */
    static void changedEntries(TreeView before, TreeView after, Set<Path> out) {
        Path top = after.top();
        if (!Objects.equals(before.topStat(), after.topStat()) || unreadable(before, top) != unreadable(after, top)) {
            out.add(top);
        }
        Set<Path> dirs = new HashSet<>(before.dirs());
        dirs.addAll(after.dirs());
        for (Path dir : dirs) {
            DirEntries a = before.node(dir);
            DirEntries b = after.node(dir);
            if (b == null) {
                // The directory left. Its own entry changed too, but that alone cannot stand for its contents: a
                // directory back at the same path before the next increment would keep them on replay.
                for (int i = 0; i < a.size(); i++) {
                    out.add(dir.resolve(a.name(i)));
                }
                continue;
            }
            changedEntries(dir, a, b, out);
        }
    }

    /**
     * {@link #changedEntries(TreeView, TreeView, Set)} for one directory whose node went from {@code a} to
     * {@code b} ({@code null}: none).
     */
    static void changedEntries(Path dir, DirEntries a, DirEntries b, Set<Path> out) {
        if (b == null) {
            if (a != null) {
                for (int i = 0; i < a.size(); i++) {
                    out.add(dir.resolve(a.name(i)));
                }
            }
            return;
        }
        if (a != null && a.isUnreadable() != b.isUnreadable()) {
            out.add(dir);
        }
        int i = 0;
        int j = 0;
        int n = a == null ? 0 : a.size();
        while (i < n || j < b.size()) {
            int cmp = i == n ? 1 : j == b.size() ? -1 : a.name(i).compareTo(b.name(j));
            if (cmp < 0) {
                out.add(dir.resolve(a.name(i++)));
            } else if (cmp > 0) {
                out.add(dir.resolve(b.name(j++)));
            } else {
                if (!a.stat(i).equals(b.stat(j))) {
                    out.add(dir.resolve(b.name(j)));
                }
                i++;
                j++;
            }
        }
    }

    private static boolean unreadable(TreeView tree, Path dir) {
        DirEntries node = tree.node(dir);
        return node != null && node.isUnreadable();
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
    static boolean changed(Stat a, Stat b) {
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
