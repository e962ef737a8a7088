package io.reactivewatch.benchmarks.e2e;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One watcher under test, adapted to the harness: it watches a tree and reports every trigger (a callback,
 * a batch, or a tick) to a {@link Probe}, which runs the simulated reconcile.
 */
interface Subject {

    /**
     * Starts watching; returns once the subject is ready to see changes.
     *
     * @param root  the real path of the tree to watch
     * @param probe where every trigger goes
     * @throws Exception if the subject cannot start
     */
    void start(Path root, Probe probe) throws Exception;

    /**
     * How long without a trigger after the last write means this subject has delivered everything it will:
     * its own detection delay (poll interval, quiet period, window) plus a margin.
     *
     * @return the quiet period that ends a measurement (the reconcile time R is added by the harness)
     */
    Duration quietAfter();

    /**
     * How many times the subject rescanned part of the tree because its event queue overflowed or a watch was
     * lost, so far; what the harness reports per burst as {@code rescans} (the difference over the burst).
     *
     * @return the count, or -1 when the subject does not tell
     */
    default long rescans() {
        return -1;
    }

    /**
     * Stops watching and waits for the subject's threads.
     *
     * @throws Exception if stopping fails
     */
    void stop() throws Exception;
}
