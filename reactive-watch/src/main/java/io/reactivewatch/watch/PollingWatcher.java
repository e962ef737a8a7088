package io.reactivewatch.watch;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The polling backend: every scan interval, a fresh scan of each root diffed against the snapshot, with the
 * same change model as the native backend. With idle backoff, the interval doubles after each scan that
 * found nothing, up to a cap, and drops back to the base interval at the first change.
 */
final class PollingWatcher extends TreeWatcher {

    private final CountDownLatch stopped = new CountDownLatch(1);

    PollingWatcher(WatcherConfig cfg) {
        super(cfg, Backend.POLLING);
    }

    @Override
    void open() {
        for (Root root : roots) {
            if (cfg.vcsIgnore()) {
                git.loadAbove(root.path);
            }
            root.tree = root.scanner.scan(root.path, null, null);
            root.count = root.tree.count();
            root.dirs = root.tree.countDirs();
        }
        updateTracked();
        vcs.open(null);
    }

    @Override
    void wake() {
        stopped.countDown();
    }

    @Override
    void work() throws InterruptedException {
        Duration interval = cfg.scanInterval();
        while (!stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
            boolean changed = false;
            for (Root root : roots) {
                try {
                    changed |= scan(root);
                } catch (RuntimeException e) {
                    reportError("could not scan " + shown(root.path) + ": " + e);
                }
            }
            vcs.afterScan();
            interval = nextInterval(interval, changed, cfg.scanInterval(), cfg.scanBackoffMax());
        }
    }

    /** The idle backoff: doubles per quiet scan up to {@code max}, back to {@code base} on a change. */
    static Duration nextInterval(Duration current, boolean changed, Duration base, Duration max) {
        if (changed || max == null) {
            return base;
        }
        Duration doubled = current.multipliedBy(2);
        return doubled.compareTo(max) > 0 ? max : doubled;
    }

    /**
     * One scan of a root. A root whose path holds something other than the tracked directory (nothing, a
     * file, a directory with another file key) is lost, its old tree reported deleted; the first scan that
     * finds a directory there again reports the new tree created. Two unrelated trees are never diffed.
     */
    private boolean scan(Root root) {
        Snapshot fresh = root.scanner.scan(root.path, null, null);
        vcs.beforeApply(); // a version-control operation that ran while the scan read must hold its changes
        if (root.missing) {
            if (!fresh.present() || !fresh.topStat().isDir()) {
                return false;
            }
            rootBack(root);
        } else {
            String change = rootChange(root.tree.topStat(), fresh.topStat());
            if (change != null) {
                rootLost(root, change);
                return true;
            }
        }
        return apply(root, fresh, null).changes() > 0;
    }
}
