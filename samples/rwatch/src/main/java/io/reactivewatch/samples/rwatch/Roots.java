package io.reactivewatch.samples.rwatch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The watch roots, and how a changed path is written relative to the root that holds it. */
final class Roots {

    private final List<Path> roots;
    private final List<Path> longestFirst;

    Roots(List<Path> roots) {
        this.roots = List.copyOf(roots);
        List<Path> sorted = new ArrayList<>(roots);
        // Nested roots: the innermost one holds the path.
        sorted.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        this.longestFirst = List.copyOf(sorted);
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
