package io.reactivewatch.watch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tracked state of one tree, and the only thing that changes it: the stat of its top and one
 * {@link DirNode} per directory, keyed by the directory's absolute path. A directory entry without a node
 * (unreadable, or a symlink loop that is not descended) has no tracked children. Readers see it, and the
 * {@link #view subtree views} that share its nodes, only as a read-only {@link TreeView}. Not thread-safe.
 */
final class Snapshot implements TreeView {

    private final Path top;
    private Stat topStat;
    private final Map<Path, DirNode> dirs;

    Snapshot(Path top, Stat topStat) {
        this(top, topStat, new HashMap<>());
    }

    /** A snapshot that owns {@code dirs} from now on. */
    Snapshot(Path top, Stat topStat, Map<Path, DirNode> dirs) {
        this.top = top;
        this.topStat = topStat;
        this.dirs = dirs;
    }

    /** An empty snapshot of a top path that does not exist. */
    static Snapshot absent(Path top) {
        return new Snapshot(top, null);
    }

    @Override
    public Path top() {
        return top;
    }

    @Override
    public Stat topStat() {
        return topStat;
    }

    @Override
    public DirEntries node(Path dir) {
        return dirs.get(dir);
    }

    @Override
    public Set<Path> dirs() {
        return Collections.unmodifiableSet(dirs.keySet());
    }

    @Override
    public long count() {
        long n = 0;
        for (DirNode node : dirs.values()) {
            n += node.size();
        }
        return n;
    }

    void putNode(Path dir, DirNode node) {
        dirs.put(dir, node);
    }

    /** The writable node of a directory, or {@code null}: for the one writer that edits nodes in place. */
    DirNode dirNode(Path dir) {
        return dirs.get(dir);
    }

    /** Sets or, with {@code null}, drops the node of one directory alone (nothing under it is touched). */
    void setNode(Path dir, DirNode node) {
        if (node == null) {
            dirs.remove(dir);
        } else {
            dirs.put(dir, node);
        }
    }

    /** Sets the top's own stat alone (its node and everything under it are untouched). */
    void setTopStat(Stat stat) {
        topStat = stat;
    }

    /**
     * Records a path's stat in its parent's node. A directory gets an (empty) node if it has none.
     *
     * @return {@code false} if the parent is not tracked, so nothing was recorded
     */
    boolean put(Path path, Stat stat) {
        if (path.equals(top)) {
            topStat = stat;
            if (stat.isDir()) {
                dirs.computeIfAbsent(path, p -> new DirNode());
            }
            return true;
        }
        DirNode parent = dirs.get(path.getParent());
        if (parent == null) {
            return false;
        }
        parent.put(path.getFileName().toString(), stat);
        if (stat.isDir()) {
            dirs.computeIfAbsent(path, p -> new DirNode());
        } else {
            removeNodes(path);
        }
        return true;
    }

    /** Forgets a path and, for a directory, everything under it. */
    void remove(Path path) {
        if (path.equals(top)) {
            topStat = null;
        } else {
            DirNode parent = dirs.get(path.getParent());
            if (parent != null) {
                parent.remove(path.getFileName().toString());
            }
        }
        removeNodes(path);
    }

    /**
     * The content-dedupe step, run on a fresh snapshot its caller owns before it is diffed against
     * {@code before}: a file that {@code before} knows with the same metadata gets its known hash carried
     * over (no read); a file that is new or whose metadata changed is hashed from disk. Files that already
     * have a hash, and files that cannot be read (hash 0), are left as they are.
     *
     * @param before what is tracked for the same top (read only)
     * @param hasher reads the files
     */
    void fillHashes(TreeView before, ContentHasher hasher) {
        if (topStat != null && topStat.type() == Stat.FILE && topStat.hash() == 0) {
            Stat known = before.topStat();
            long h = known != null && known.sameMetadata(topStat) ? known.hash() : hasher.hash(top);
            if (h != 0) {
                topStat = topStat.withHash(h);
            }
        }
        for (Map.Entry<Path, DirNode> e : dirs.entrySet()) {
            Path dir = e.getKey();
            DirNode mine = e.getValue();
            DirEntries theirs = before.node(dir);
            int n = theirs == null ? 0 : theirs.size();
            int i = 0;
            for (int j = 0; j < mine.size(); j++) {
                Stat stat = mine.stat(j);
                if (stat.type() != Stat.FILE || stat.hash() != 0) {
                    continue;
                }
                String name = mine.name(j);
                while (i < n && theirs.name(i).compareTo(name) < 0) {
                    i++;
                }
                Stat known = i < n && theirs.name(i).equals(name) ? theirs.stat(i) : null;
                long h = known != null && known.sameMetadata(stat) ? known.hash() : hasher.hash(dir.resolve(name));
                mine.setHash(j, h);
            }
        }
    }

    /**
     * The subtree at {@code dir}, read-only, sharing this snapshot's nodes: valid until this snapshot
     * changes, and the only thing {@link #restore} takes back.
     */
    Subtree view(Path dir) {
        Map<Path, DirNode> sub = new HashMap<>();
        for (Path d : dirsUnder(dir)) {
            sub.put(d, dirs.get(d));
        }
        return new Subtree(dir, get(dir), sub);
    }

    /**
     * Replaces the subtree at {@code fresh.top()} with {@code fresh}, which this snapshot then owns.
     */
    void replace(Snapshot fresh) {
        Path dir = fresh.top();
        for (Map.Entry<Path, DirNode> e : new ArrayList<>(fresh.dirs.entrySet())) {
            DirNode known = dirs.get(e.getKey());
            if (e.getValue().isUnreadable() && known != null) {
                // Listing failed this time: what was known under it stays tracked.
                for (Path d : dirsUnder(e.getKey())) {
                    fresh.dirs.put(d, dirs.get(d));
                }
            }
        }
        graft(dir, fresh.topStat(), fresh.dirs);
    }

    /**
     * Puts back a subtree exactly as a {@link #view} taken before a {@link #replace} saw it (rolling back
     * an update whose events were not delivered). Unlike replace, an unreadable node is taken as it is.
     */
    void restore(Subtree previous) {
        graft(previous.top(), previous.topStat(), previous.nodes());
    }

    /** Puts {@code nodes} in place of the subtree at {@code dir}, whose top now has {@code stat}. */
    private void graft(Path dir, Stat stat, Map<Path, DirNode> nodes) {
        removeNodes(dir);
        if (stat == null) {
            remove(dir);
            return;
        }
        if (dir.equals(top)) {
            topStat = stat;
        } else {
            DirNode parent = dirs.get(dir.getParent());
            if (parent == null) {
                return;
            }
            parent.put(dir.getFileName().toString(), stat);
        }
        dirs.putAll(nodes);
    }

    private void removeNodes(Path dir) {
        if (!dirs.containsKey(dir)) {
            return;
        }
        for (Path d : dirsUnder(dir)) {
            dirs.remove(d);
        }
    }

    /**
     * A read-only subtree of a snapshot, sharing its nodes: readers see {@link DirEntries} only, so a reader
     * cannot change the tracked tree through it.
     */
    record Subtree(Path top, Stat topStat, Map<Path, DirNode> nodes) implements TreeView {

        @Override
        public DirEntries node(Path dir) {
            return nodes.get(dir);
        }

        @Override
        public Set<Path> dirs() {
            return Collections.unmodifiableSet(nodes.keySet());
        }
    }
}
