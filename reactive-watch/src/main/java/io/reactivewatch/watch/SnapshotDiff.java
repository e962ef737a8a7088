package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The difference between two snapshots of the same tree, as changes: a pure function of its inputs.
 *
 * <p>A directory is reported created before what it holds, and deleted after it. A directory whose metadata
 * changed is not reported (its entries are). A path whose type flips between file and directory is
 * reported deleted, then created. With a {@link ContentHasher}, a file whose size is unchanged but whose
 * mtime or key changed is compared by content, and equal content is no change; the hashes computed are
 * written into {@code after}, and known hashes of unchanged files are carried over into it.
 */
final class SnapshotDiff {

    private final Snapshot before;
    private final Snapshot after;
    private final ContentHasher hasher;
    private final List<Change> out = new ArrayList<>();

    private SnapshotDiff(Snapshot before, Snapshot after, ContentHasher hasher) {
        this.before = before;
        this.after = after;
        this.hasher = hasher;
    }

    /**
     * Diffs two snapshots of one top path.
     *
     * @param hasher content hashes for dedupe, or {@code null} to compare metadata only
     * @throws IllegalArgumentException if the snapshots have different tops
     */
    static List<Change> diff(Snapshot before, Snapshot after, ContentHasher hasher) {
        if (!before.top().equals(after.top())) {
            throw new IllegalArgumentException("snapshots of different trees: " + before.top() + ", " + after.top());
        }
        SnapshotDiff d = new SnapshotDiff(before, after, hasher);
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
            if (contentCheck(path, a, b)) {
                out.add(new Change(path, ChangeKind.MODIFIED, EntryType.FILE));
            }
        }
    }

    /** Whether the file changed; writes the hash it knows into {@code after}. */
    private boolean contentCheck(Path path, Stat a, Stat b) {
        if (a.sameMetadata(b)) {
            if (a.hash() != 0 && b.hash() == 0) {
                after.put(path, b.withHash(a.hash()));
            }
            return false;
        }
        if (hasher == null || b.type() != Stat.FILE) {
            return true;
        }
        long h = b.hash() != 0 ? b.hash() : hasher.hash(path);
        if (h != 0 && h != b.hash()) {
            after.put(path, b.withHash(h));
        }
        boolean sameContent = h != 0 && a.hash() == h && a.size() == b.size() && a.type() == b.type();
        return !sameContent;
    }

    private void compareDirs(Path dir) {
        DirNode a = before.node(dir);
        DirNode b = after.node(dir);
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
            DirNode node = before.node(path);
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
            DirNode node = after.node(path);
            if (node != null) {
                for (int i = 0; i < node.size(); i++) {
                    created(path.resolve(node.name(i)), node.stat(i));
                }
            }
        } else if (hasher != null && stat.type() == Stat.FILE && stat.hash() == 0) {
            long h = hasher.hash(path);
            if (h != 0) {
                after.put(path, stat.withHash(h));
            }
        }
    }
}
