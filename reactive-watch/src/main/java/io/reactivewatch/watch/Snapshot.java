package io.reactivewatch.watch;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The tracked state of one tree: the stat of its top directory and one {@link DirNode} per directory,
 * keyed by the directory's absolute path. A directory entry without a node (unreadable, or a symlink loop
 * that is not descended) has no tracked children. Not thread-safe.
 */
final class Snapshot {

    private final Path top;
    private Stat topStat;
    private final Map<Path, DirNode> dirs;

    Snapshot(Path top, Stat topStat) {
        this(top, topStat, new HashMap<>());
    }

    Snapshot(Path top, Stat topStat, Map<Path, DirNode> dirs) {
        this.top = top;
        this.topStat = topStat;
        this.dirs = dirs;
    }

    /** An empty snapshot of a top path that does not exist. */
    static Snapshot absent(Path top) {
        return new Snapshot(top, null);
    }

    Path top() {
        return top;
    }

    /** The top's own stat, or {@code null} when it does not exist. */
    Stat topStat() {
        return topStat;
    }

    boolean present() {
        return topStat != null;
    }

    DirNode node(Path dir) {
        return dirs.get(dir);
    }

    void putNode(Path dir, DirNode node) {
        dirs.put(dir, node);
    }

    Map<Path, DirNode> nodes() {
        return dirs;
    }

    /** The tracked stat of a path at or under the top, or {@code null}. */
    Stat get(Path path) {
        if (path.equals(top)) {
            return topStat;
        }
        DirNode parent = dirs.get(path.getParent());
        return parent == null ? null : parent.get(path.getFileName().toString());
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

    /** The directories at and under {@code dir} that have nodes, parents before children. */
    List<Path> dirsUnder(Path dir) {
        List<Path> out = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>();
        if (dirs.containsKey(dir)) {
            todo.add(dir);
        }
        while (!todo.isEmpty()) {
            Path d = todo.poll();
            out.add(d);
            DirNode node = dirs.get(d);
            for (int i = 0; i < node.size(); i++) {
                if (node.type(i) == Stat.DIR) {
                    Path child = d.resolve(node.name(i));
                    if (dirs.containsKey(child)) {
                        todo.add(child);
                    }
                }
            }
        }
        return out;
    }

    /** Visits every tracked path strictly under {@code dir}, parents before children. */
    void forEachUnder(Path dir, BiConsumer<Path, Stat> visitor) {
        for (Path d : dirsUnder(dir)) {
            DirNode node = dirs.get(d);
            for (int i = 0; i < node.size(); i++) {
                visitor.accept(d.resolve(node.name(i)), node.stat(i));
            }
        }
    }

    /**
     * A snapshot of the subtree at {@code dir} that shares this one's nodes (read it, do not change it).
     */
    Snapshot view(Path dir) {
        Map<Path, DirNode> sub = new HashMap<>();
        for (Path d : dirsUnder(dir)) {
            sub.put(d, dirs.get(d));
        }
        return new Snapshot(dir, get(dir), sub);
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
        removeNodes(dir);
        if (fresh.present()) {
            if (dir.equals(top)) {
                topStat = fresh.topStat();
            } else {
                DirNode parent = dirs.get(dir.getParent());
                if (parent == null) {
                    return;
                }
                parent.put(dir.getFileName().toString(), fresh.topStat());
            }
            dirs.putAll(fresh.dirs);
        } else {
            remove(dir);
        }
    }

    /** How many paths are tracked under the top (the top itself not counted). */
    long count() {
        long n = 0;
        for (DirNode node : dirs.values()) {
            n += node.size();
        }
        return n;
    }

    private void removeNodes(Path dir) {
        if (!dirs.containsKey(dir)) {
            return;
        }
        for (Path d : dirsUnder(dir)) {
            dirs.remove(d);
        }
    }
}
