package io.reactivewatch.watch;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * A read-only tree of tracked stats: the top path's own stat and the {@link DirEntries} of each directory
 * that has them. What {@link SnapshotDiff} compares and {@link SnapshotCodec} writes; a {@link Snapshot} is
 * one, and so is a {@link Snapshot#view subtree view} sharing the tracked tree's nodes, which is why nothing
 * here changes a tree.
 */
interface TreeView {

    /** The top path: a watch root, or a path under one. */
    Path top();

    /** The top's own stat, or {@code null} when it does not exist. */
    Stat topStat();

    /** The entries of a directory at or under the top, or {@code null} when it has none tracked. */
    DirEntries node(Path dir);

    /** The directories that have entries tracked (unmodifiable). */
    Set<Path> dirs();

    /** Whether the top exists. */
    default boolean present() {
        return topStat() != null;
    }

    /** The tracked stat of a path at or under the top, or {@code null}. */
    default Stat get(Path path) {
        if (path.equals(top())) {
            return topStat();
        }
        DirEntries parent = node(path.getParent());
        return parent == null ? null : parent.get(path.getFileName().toString());
    }

    /** How many paths are tracked under the top (the top itself not counted). */
    default long count() {
        long n = 0;
        for (Path d : dirs()) {
            n += node(d).size();
        }
        return n;
    }

    /** How many tracked entries below the top are directories. */
    default long countDirs() {
        long n = 0;
        for (Path d : dirs()) {
            DirEntries node = node(d);
            for (int i = 0, size = node.size(); i < size; i++) {
                if (node.type(i) == Stat.DIR) {
                    n++;
                }
            }
        }
        return n;
    }

    /** The directories at and under {@code dir} that have entries, parents before children. */
    default List<Path> dirsUnder(Path dir) {
        List<Path> out = new ArrayList<>();
        Deque<Path> todo = new ArrayDeque<>();
        if (node(dir) != null) {
            todo.add(dir);
        }
        while (!todo.isEmpty()) {
            Path d = todo.poll();
            out.add(d);
            DirEntries entries = node(d);
            for (int i = 0; i < entries.size(); i++) {
                if (entries.type(i) == Stat.DIR) {
                    Path child = d.resolve(entries.name(i));
                    if (node(child) != null) {
                        todo.add(child);
                    }
                }
            }
        }
        return out;
    }
}
