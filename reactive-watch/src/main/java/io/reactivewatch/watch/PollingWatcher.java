package io.reactivewatch.watch;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The polling backend: every scan interval, a fresh scan of each root diffed against the snapshot, with the
 * same change model as the native backend. With idle backoff, the interval doubles after each scan that
 * found nothing, up to a cap, and drops back to the base interval at the first change. A sync request
 * brings the next scan forward: the scan that starts after it was taken covers every change made before it.
 */
final class PollingWatcher extends TreeWatcher {

    /** The kept listings of each directory root, when listing reuse is on. */
    private final Map<Root, Listings> listings = new IdentityHashMap<>();

    PollingWatcher(WatcherConfig cfg) {
        super(cfg, Backend.POLLING);
        if (cfg.reuseListings()) {
            for (Root root : roots) {
                if (!root.file) {
                    listings.put(root, new Listings());
                }
            }
        }
    }

    /**
     * The in-place compare recurses once per directory level, and a tree may be as deep as paths allow (about
     * 2,000 levels): the default stack does not hold that. Reserved, not committed, until used.
     */
    static final long WORKER_STACK = 64L << 20;

    @Override
    long workerStackSize() {
        return WORKER_STACK;
    }

    /** The kept listings of a directory root, or {@code null} when reuse is off (for tests). */
    Listings listings(Root root) {
        return listings.get(root);
    }

    @Override
    void open() {
        for (Root root : roots) {
            openRoot(root, null, null);
        }
        updateTracked();
        vcs.open(null);
    }

    @Override
    void wake() {
        // parkUntil returns once cancelled: TreeWatcher.cancel() unparks the worker
    }

    @Override
    void startSync(SyncBarrier.Request request) {
        barrier.written(request); // no cookie: the next scan is the barrier
    }

    @Override
    void work() {
        Duration interval = cfg.scanInterval();
        long next = System.nanoTime() + interval.toNanos();
        while (true) {
            parkUntil(next);
            if (cancelled()) {
                return;
            }
            // Taken before the scan starts, so the scan reads the trees after each request was made.
            List<SyncBarrier.Request> syncs = barrier.takeReady(root -> true);
            if (syncs.isEmpty() && System.nanoTime() - next < 0) {
                continue; // a spurious wake-up
            }
            boolean changed = false;
            for (Root root : roots) {
                try {
                    changed |= scan(root);
                } catch (RuntimeException e) {
                    reportError("could not scan " + shown(root.path) + ": " + e);
                }
            }
            vcs.afterScan(); // first: a sync that completes must find an operation's hold already open
            barrier.complete(syncs);
            interval = nextInterval(interval, changed, cfg.scanInterval(), cfg.scanBackoffMax());
            next = System.nanoTime() + interval.toNanos();
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
     * finds a directory there again reports the new tree created. Two unrelated trees are never diffed. A file
     * root is lost and back with its directory; the file itself is only stat'ed. A directory root that is
     * still there is compared in place ({@link PollingScan}).
     *
     * @return whether it found a change
     */
    boolean scan(Root root) {
        if (root.file) {
            if (root.missing) {
                if (!holdsDirectory(root)) {
                    return false;
                }
                rootBack(root);
            } else {
                String change = rootChange(root);
                if (change != null) {
                    rootLost(root, change);
                    return true;
                }
            }
            return apply(root, root.scanner.scan(root.path, null, null), null).changes() > 0;
        }
        Listings kept = listings.get(root);
        if (root.missing) {
            Snapshot fresh = root.scanner.scan(root.path, null, null);
            vcs.beforeApply(); // a version-control operation that ran while the scan read must hold its changes
            if (!fresh.present() || !fresh.topStat().isDir()) {
                return false;
            }
            rootBack(root);
            return apply(root, fresh, null).changes() > 0;
        }
        PollingScan poll = new PollingScan(root.path, root.tree, root.scanner, cfg.filter(), git, cfg.vcsIgnore(),
                cfg.followSymlinks(), hasher, kept);
        Stat top = poll.readTop();
        String change = rootChange(root.tree.topStat(), top);
        if (change == null) {
            poll.walk(top);
        }
        vcs.beforeApply();
        if (change != null) {
            if (kept != null) {
                kept.clear();
            }
            rootLost(root, change);
            return true;
        }
        boolean moved = applyPoll(root, top, poll);
        if (kept != null) {
            if (moved) {
                kept.commit(poll.taken, poll.forgotten);
            } else {
                kept.clear(); // the tree did not take the names the scan listed
            }
        }
        return moved && !poll.changes.isEmpty();
    }
}
