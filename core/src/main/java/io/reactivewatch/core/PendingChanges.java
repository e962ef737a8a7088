package io.reactivewatch.core;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The mutable, per-path net-effect accumulator behind {@link ChangeSet}. Not thread-safe. */
final class PendingChanges {

    private LinkedHashMap<Path, Change> changes = new LinkedHashMap<>();
    private boolean rescan;

    /**
     * Merges one event.
     *
     * @return {@code true} if the event added a path that was not pending (rather than merging into one)
     */
    boolean add(SourceEvent event) {
        if (event instanceof Rescan) {
            rescan = true;
            return false;
        }
        Change change = (Change) event;
        Change previous = changes.get(change.path());
        if (previous == null) {
            changes.put(change.path(), change);
            return true;
        }
        ChangeKind net = previous.kind().then(change.kind());
        if (net == null) {
            changes.remove(change.path());
        } else if (net != previous.kind() || change.type() != previous.type()) {
            changes.put(change.path(), new Change(change.path(), net, change.type()));
        }
        return false;
    }

    /**
     * Sets a path's pending change to {@code truth}, whatever was pending for it: for a path whose delivery is
     * uncertain, what it is now must reach the reconciler, never a net effect that cancels it out.
     */
    void force(Change truth) {
        changes.put(truth.path(), truth);
    }

    /** Drops a path's pending change: the reconciler already agrees with what the path is now. */
    void remove(Path path) {
        changes.remove(path);
    }

    void markRescan() {
        rescan = true;
    }

    void addAll(ChangeSet set) {
        for (Change change : set.asMap().values()) {
            add(change);
        }
        rescan |= set.rescan();
    }

    /** Puts an older set (one that did not reconcile) in front of what is pending now. */
    void putBack(ChangeSet older) {
        if (older.isEmpty()) {
            return;
        }
        LinkedHashMap<Path, Change> newer = changes;
        boolean newerRescan = rescan;
        changes = new LinkedHashMap<>(older.asMap());
        rescan = older.rescan();
        for (Change change : newer.values()) {
            add(change);
        }
        rescan |= newerRescan;
    }

    /** Removes and returns up to {@code budget} changes, oldest first; the rescan marker goes with them. */
    ChangeSet drain(int budget) {
        if (changes.size() <= budget) {
            return drainAll();
        }
        LinkedHashMap<Path, Change> taken = new LinkedHashMap<>();
        Iterator<Map.Entry<Path, Change>> it = changes.entrySet().iterator();
        while (taken.size() < budget) {
            Map.Entry<Path, Change> e = it.next();
            taken.put(e.getKey(), e.getValue());
            it.remove();
        }
        boolean r = rescan;
        rescan = false;
        return ChangeSet.wrap(taken, r);
    }

    ChangeSet drainAll() {
        LinkedHashMap<Path, Change> taken = changes;
        boolean r = rescan;
        changes = new LinkedHashMap<>();
        rescan = false;
        return ChangeSet.wrap(taken, r);
    }

    /** A copy of what is pending, leaving it in place. */
    ChangeSet snapshot() {
        return ChangeSet.wrap(new LinkedHashMap<>(changes), rescan);
    }

    int size() {
        return changes.size();
    }

    boolean isEmpty() {
        return changes.isEmpty() && !rescan;
    }
}
