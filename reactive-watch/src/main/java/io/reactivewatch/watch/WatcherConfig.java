package io.reactivewatch.watch;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * The immutable settings of a filesystem source.
 *
 * @param roots              absolute, normalized, real paths of the watch roots
 * @param pollInterval       the polling backend's scan interval; also how often the native backend polls
 *                           subtrees it could not watch and roots that disappeared
 * @param pollBackoffMax     polling backend: the longest interval idle backoff grows to, or {@code null} for
 *                           no backoff
 * @param filter             what is tracked
 * @param vcsIgnore          whether {@code .gitignore} files are read
 * @param followSymlinks     whether symbolic links to directories are walked and watched
 * @param contentDedupe      whether equal content makes a metadata change no change
 * @param scanParallelism    threads for the start-up walk (1 = the calling thread)
 * @param refuseWatch        test seam: directories whose native registration is made to fail
 * @param watchServices      opens the native watch service (a test seam makes it fail)
 */
record WatcherConfig(
        List<Path> roots,
        Duration pollInterval,
        Duration pollBackoffMax,
        PathFilter filter,
        boolean vcsIgnore,
        boolean followSymlinks,
        boolean contentDedupe,
        int scanParallelism,
        Predicate<Path> refuseWatch,
        WatchServices watchServices) {

    /** Opens a watch service. */
    @FunctionalInterface
    interface WatchServices {
        WatchService open() throws IOException;

        static WatchServices platform() {
            return () -> FileSystems.getDefault().newWatchService();
        }
    }


    WatcherConfig {
        roots = List.copyOf(roots);
    }
}
