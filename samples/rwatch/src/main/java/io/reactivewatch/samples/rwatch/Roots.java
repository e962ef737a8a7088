package io.reactivewatch.samples.rwatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The watch roots, and how a changed path is written relative to the root that holds it. */
final class Roots {

    private final List<Path> roots;
    private final List<Path> longestFirst;
    /** With two or more roots, how a path under each is labelled in tick lines. */
    private final Map<Path, String> labels = new HashMap<>();

    Roots(List<Path> roots) {
        this.roots = List.copyOf(roots);
        List<Path> sorted = new ArrayList<>(roots);
        // Nested roots: the innermost one holds the path.
        sorted.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        this.longestFirst = List.copyOf(sorted);
        Map<String, Integer> names = new HashMap<>();
        for (Path root : roots) {
            names.merge(name(root), 1, Integer::sum);
        }
        for (Path root : roots) {
            // A root's last name says which one it is, unless two roots share it: then its whole path does.
            labels.put(root, names.get(name(root)) == 1 ? name(root) : root.toString());
        }
    }

    private static String name(Path root) {
        Path name = root.getFileName();
        return name != null ? name.toString() : root.toString();
    }

    List<Path> all() {
        return roots;
    }

    /** The innermost root holding {@code path}, or the file system root when no watch root does. */
    Path rootOf(Path path) {
        for (Path root : longestFirst) {
            if (path.startsWith(root)) {
                return root;
            }
        }
        Path fsRoot = path.getRoot();
        return fsRoot != null ? fsRoot : path;
    }

    /**
     * How a tick line shows {@code path}: relative to its root with one root; with more, prefixed with its
     * root's label (the root's last name, or its whole path when two roots share that name), so
     * {@code src/A.java} and {@code docs/A.java} tell two roots apart. The root itself is its label (its
     * whole path with one root).
     */
    String label(Path path) {
        Path root = rootOf(path);
        String rel = relative(path);
        String label = labels.get(root);
        if (label == null || roots.size() == 1) {
            return rel.isEmpty() ? path.toString() : rel;
        }
        return rel.isEmpty() ? label : label.endsWith("/") ? label + rel : label + "/" + rel;
    }

    /** {@code path} relative to {@link #rootOf}, with {@code /} separators; empty for the root itself. */
    String relative(Path path) {
        Path rel = rootOf(path).relativize(path);
        StringBuilder sb = new StringBuilder();
        for (Path part : rel) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part);
        }
        return sb.toString();
    }
}
