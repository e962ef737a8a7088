package io.reactivewatch.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The immutable settings of a {@link TreeWatcher}, fixed when a {@link FileSource} opens.
 *
 * @param roots          absolute, normalized, real paths of the watch roots
 * @param scanInterval   the polling backend's scan interval; also how often the native backend polls
 *                       subtrees it could not watch and roots that disappeared
 * @param scanBackoffMax polling backend: the longest interval idle backoff grows to, or {@code null} for no
 *                       backoff
 * @param filter         what is tracked (the daemon's own files never are)
 * @param vcsIgnore      whether {@code .gitignore} files are read
 * @param followSymlinks whether symbolic links to directories are walked and watched
 * @param contentDedupe  whether equal content makes a metadata change no change
 * @param hooks          test seams; {@link TestHooks#defaults()} outside tests
 * @param names          the roots as the source shows them (as given, links kept) next to {@code roots}
 * @param fileRoots      the roots that are single files (each watched through its directory, which is never
 *                       walked); the others are directories
 * @param reuseListings  polling backend: whether a directory whose times and inode did not move since it was
 *                       listed is not listed again, where {@link Listings} finds that safe
 */
record WatcherConfig(
        List<Path> roots,
        Duration scanInterval,
        Duration scanBackoffMax,
        PathFilter filter,
        boolean vcsIgnore,
        boolean followSymlinks,
        boolean contentDedupe,
        TestHooks hooks,
        RootNames names,
        Set<Path> fileRoots,
        boolean reuseListings) {

    WatcherConfig {
        roots = List.copyOf(roots);
        fileRoots = Set.copyOf(fileRoots);
    }

    /** With listing reuse on. */
    WatcherConfig(List<Path> roots, Duration scanInterval, Duration scanBackoffMax, PathFilter filter,
            boolean vcsIgnore, boolean followSymlinks, boolean contentDedupe, TestHooks hooks, RootNames names,
            Set<Path> fileRoots) {
        this(roots, scanInterval, scanBackoffMax, filter, vcsIgnore, followSymlinks, contentDedupe, hooks, names,
                fileRoots, true);
    }

    /** The same settings, listing reuse as given. */
    WatcherConfig withReuseListings(boolean reuse) {
        return new WatcherConfig(roots, scanInterval, scanBackoffMax, filter, vcsIgnore, followSymlinks,
                contentDedupe, hooks, names, fileRoots, reuse);
    }

    /** Directory roots shown as they are watched. */
    WatcherConfig(List<Path> roots, Duration scanInterval, Duration scanBackoffMax, PathFilter filter,
            boolean vcsIgnore, boolean followSymlinks, boolean contentDedupe, TestHooks hooks) {
        this(roots, scanInterval, scanBackoffMax, filter, vcsIgnore, followSymlinks, contentDedupe, hooks,
                RootNames.same(roots), Set.of());
    }
}
