package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.SourceEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The watch roots twice: as they are watched (real paths, symbolic links resolved, which is what the trees,
 * the watch keys and the persisted snapshot hold) and as they are shown (as the user gave them, absolute and
 * normalized, links kept), which is what {@link FileSource} reports. Translates a path under one into the
 * same path under the other. Immutable.
 */
final class RootNames {

    private final List<Path> watched;
    private final List<Path> shown;
    private final boolean same;

    /**
     * @param watched the real paths of the roots
     * @param shown   the same roots as given, in the same order
     */
    RootNames(List<Path> watched, List<Path> shown) {
        if (watched.size() != shown.size()) {
            throw new IllegalArgumentException("one shown name per root: " + watched + ", " + shown);
        }
        this.watched = List.copyOf(watched);
        this.shown = List.copyOf(shown);
        this.same = this.watched.equals(this.shown);
    }

    /** Roots shown as they are watched. */
    static RootNames same(List<Path> roots) {
        return new RootNames(roots, roots);
    }

    /** Whether any root is shown under another path than it is watched. */
    boolean translates() {
        return !same;
    }

    /** The roots as shown. */
    List<Path> shown() {
        return shown;
    }

    /** A watched path as shown: under the given name of the root holding it; unchanged outside every root. */
    Path shown(Path path) {
        return same ? path : translate(path, watched, shown);
    }

    /** A shown path as watched: under the real path of the root holding it; unchanged outside every root. */
    Path watched(Path path) {
        return same ? path : translate(path, shown, watched);
    }

    /** An event of the watcher as the source reports it. */
    SourceEvent shown(SourceEvent event) {
        if (same) {
            return event;
        }
        if (event instanceof Change c) {
            Path p = shown(c.path());
            return p == c.path() ? c : new Change(p, c.kind(), c.type());
        }
        if (event instanceof Rescan r) {
            Path p = shown(r.path());
            return p == r.path() ? r : new Rescan(p, r.reason());
        }
        return event;
    }

    /** Events of the watcher as the source reports them. */
    List<SourceEvent> shown(List<SourceEvent> events) {
        if (same) {
            return events;
        }
        List<SourceEvent> out = new ArrayList<>(events.size());
        events.forEach(e -> out.add(shown(e)));
        return out;
    }

    /** Rebases {@code path} from the innermost root of {@code from} holding it onto the same root of {@code to}. */
    private static Path translate(Path path, List<Path> from, List<Path> to) {
        int best = -1;
        for (int i = 0; i < from.size(); i++) {
            Path root = from.get(i);
            if (path.startsWith(root) && (best < 0 || root.getNameCount() > from.get(best).getNameCount())) {
                best = i;
            }
        }
        if (best < 0 || from.get(best).equals(to.get(best))) {
            return path;
        }
        return to.get(best).resolve(from.get(best).relativize(path));
    }
}
