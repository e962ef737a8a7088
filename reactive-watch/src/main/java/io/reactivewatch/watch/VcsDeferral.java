package io.reactivewatch.watch;

import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.reactivewatch.core.Hold;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Holds a daemon's ticks while a watched tree's repository shows a version-control operation in progress
 * (a checkout, a rebase or merge stopped on a conflict, a bisect), so the reconciler never sees a half-switched
 * tree: one hold per repository, through the source's context, with the operation as its reason. Changes keep
 * merging into the daemon's pending set meanwhile; when the last marker is gone the hold closes and one tick
 * carries everything.
 *
 * <p>How the watcher tells it what happened:
 * <ul>
 *   <li>Native backend: the marker directory of each repository is watched (not recursively; never the object
 *       store) on the tree's own watch service. {@link #noteEvents} takes that directory's events off the
 *       batch; {@link #beforeBatch} opens a hold before a batch's tree changes go out when a marker exists, or
 *       when the batch saw one come and go together with tree changes (a checkout that ran within one batch);
 *       {@link #afterBatch} looks again once they are out.</li>
 *   <li>Polling backend: {@link #beforeApply}, after a scan read a root and before its changes go out, looks at
 *       the markers, and at the state file every completed operation replaces ({@code index},
 *       {@code dirstate}): when it is another file than at the last look, an operation ran while the scan
 *       read, which may have read half of it, so the hold stays until a scan that saw nothing move
 *       ({@link #afterScan}). The directory's own time is not looked at: fetches and commits move it
 *       without touching the tree.</li>
 * </ul>
 * A hold whose markers are gone closes only after {@link #LINGER} without them, and only if none came back:
 * git steps into an operation's next state a moment after leaving the last ({@code git merge} writes
 * {@code MERGE_HEAD} just after releasing {@code index.lock}), and a tick must not run in that gap.
 *
 * <p>A lock ({@code index.lock}, {@code wlock}) stops holding once it is older than the lock timeout: a
 * crashed command leaves it behind, and ticks would otherwise wait for good. Its age counts from its
 * modification time or from when it was first seen, whichever is earlier, on the timer's clock; one warning
 * names it, and stays in the source's status until the lock is gone. A new lock holds again. The other
 * markers are states a user ends on purpose and hold for as long as they last.
 *
 * <p>Thread-safe: the watcher's worker, the timers and {@link #close()} take this object's lock, and never
 * hold it while calling into the watcher, except for the warning callbacks, which take no lock.
 */
final class VcsDeferral {

    /** The default lock timeout: see {@link FileSource.Builder#vcsLockTimeout}. */
    static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofMinutes(10);
    /**
     * How long a hold stays after its last marker went. Git writes an operation's next marker within
     * microseconds of removing the last; this leaves room for a loaded machine, and is short enough that
     * nobody waits on it.
     */
    static final Duration LINGER = Duration.ofMillis(200);

    private static final VcsDeferral OFF = new VcsDeferral(List.of(), r -> {
        throw new IllegalStateException("no repository to hold for");
    }, DEFAULT_LOCK_TIMEOUT, LINGER, null, m -> { }, m -> { });

    /** Registers a watch on a marker directory: the watch key, or {@code null} when it is not watched. */
    @FunctionalInterface
    interface Registrar {
        @Nullable Object register(Path dir) throws IOException;
    }

    private final List<Repo> repos = new ArrayList<>();
    private final Function<String, Hold> holds;
    private final long lockTimeoutMillis;
    private final Duration lockTimeout;
    private final Duration linger;
    private final @Nullable Scheduler timer;
    private final Consumer<String> warn;
    private final Consumer<String> clearWarning;
    private final boolean several;
    private @Nullable Registrar registrar;
    private boolean closed;

    /**
     * @param repositories the watched trees' repositories
     * @param holds        opens a hold with a reason ({@code SourceContext::hold})
     * @param lockTimeout  how old a lock may get before it stops holding
     * @param linger       how long a hold stays after its last marker went ({@link #LINGER})
     * @param timer        the linger and lock-age timers, and the clock lock ages are measured on
     * @param warn         reports a stale lock (logs a warning, shows it in status)
     * @param clearWarning takes that report back once the lock is gone
     */
    VcsDeferral(List<VcsRepository> repositories, Function<String, Hold> holds, Duration lockTimeout,
            Duration linger, @Nullable Scheduler timer, Consumer<String> warn, Consumer<String> clearWarning) {
        repositories.forEach(r -> repos.add(new Repo(r)));
        this.holds = holds;
        this.lockTimeout = lockTimeout;
        this.lockTimeoutMillis = lockTimeout.toMillis();
        this.linger = linger;
        this.timer = repositories.isEmpty() ? null : Objects.requireNonNull(timer, "timer");
        this.warn = warn;
        this.clearWarning = clearWarning;
        this.several = repositories.size() > 1;
    }

    /** Defers nothing: a source with deferral off, or one without a daemon. */
    static VcsDeferral off() {
        return OFF;
    }

    /** The repositories it watches, for tests. */
    List<VcsRepository> repositories() {
        List<VcsRepository> out = new ArrayList<>();
        repos.forEach(r -> out.add(r.repo));
        return out;
    }

    /** One repository's state. Guarded by the deferral's lock. */
    private static final class Repo {
        final VcsRepository repo;
        @Nullable Object key;
        @Nullable Hold hold;
        @Nullable Disposable release;
        @Nullable Disposable ageCheck;
        long ageCheckAt;
        /** Native: marker names the watch reported since the last batch. */
        final Set<String> seen = new LinkedHashSet<>();
        boolean activity;
        /** Polling: the state file at the last look, and whether a look this scan found work. */
        @Nullable Stat last;
        boolean busy;
        final Map<String, LockSeen> locks = new HashMap<>();
        final Map<String, Stale> stale = new HashMap<>();

        Repo(VcsRepository repo) {
            this.repo = repo;
        }
    }

    /** A lock file's identity: a new file, or one written again, is another lock. */
    private record LockId(long key, long mtime) {
    }

    /** @param since the earlier of its modification time and when it was first seen, on the timer's clock */
    private record LockSeen(LockId id, long since) {
    }

    private record Stale(LockId id, String message) {
    }


    // ------------------------------------------------------------------ life

    /**
     * Registers the marker directories and opens a hold for each repository that is in an operation now, so
     * the start-up tick waits for it too. Caller of {@link FileSource#open}, after the walk.
     *
     * @param watches registers a watch on a directory (native backend), or {@code null} (polling backend)
     */
    void open(@Nullable Registrar watches) {
        if (repos.isEmpty()) {
            return;
        }
        synchronized (this) {
            registrar = watches;
            for (Repo r : repos) {
                register(r);
                r.last = state(r);
                String op = probe(r);
                if (op != null) {
                    hold(r, op);
                }
            }
        }
    }

    /** Closes the holds and cancels the timers. Idempotent; any thread. */
    void close() {
        if (repos.isEmpty()) {
            return;
        }
        synchronized (this) {
            closed = true;
            for (Repo r : repos) {
                cancelAgeCheck(r);
                release(r);
            }
        }
    }

    private void register(Repo r) {
        Registrar watches = registrar;
        if (watches == null) {
            return;
        }
        try {
            r.key = watches.register(r.repo.markerDir());
        } catch (IOException e) {
            r.key = null; // checked at every fallback poll instead
        }
    }

    // ------------------------------------------------------------------ native backend

    /**
     * Takes the events of a watch key if it is a marker directory's. Worker thread.
     *
     * @return whether the key was one of this deferral's (its events are then no tree's)
     */
    boolean noteEvents(Object key, List<WatchEvent<?>> events, boolean valid) {
        if (repos.isEmpty()) {
            return false;
        }
        synchronized (this) {
            for (Repo r : repos) {
                if (key.equals(r.key)) {
                    for (WatchEvent<?> e : events) {
                        if (e.kind() == OVERFLOW) {
                            r.activity = true;
                        } else if (e.context() instanceof Path name && r.repo.marker(name.toString()) != null) {
                            r.seen.add(name.toString());
                            r.activity = true;
                        }
                    }
                    if (!valid) {
                        r.key = null; // the directory went away; polled for until it is back
                        r.activity = true;
                    }
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Before a batch's tree changes go out: a repository whose markers moved holds if one exists now, or if
     * the batch also changed the tree (the operation may have come and gone within it). Worker thread.
     *
     * @param treeChanges whether the batch has events of the watched trees
     */
    void beforeBatch(boolean treeChanges) {
        if (repos.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (Repo r : repos) {
                if (!r.activity || closed) {
                    continue;
                }
                String op = probe(r);
                if (op != null) {
                    hold(r, op);
                } else if (treeChanges) {
                    hold(r, r.hold != null ? r.hold.reason() : named(r, seenOperation(r)));
                }
                r.activity = false;
                r.seen.clear();
            }
        }
    }

    /** After a batch's changes went out: a hold whose markers are gone starts to linger. Worker thread. */
    void afterBatch() {
        if (repos.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (Repo r : repos) {
                if (r.hold == null || r.release != null || closed) {
                    continue;
                }
                String op = probe(r);
                if (op != null) {
                    hold(r, op);
                } else {
                    linger(r);
                }
            }
        }
    }

    /**
     * For marker directories that could not be watched (or went away): registers again where it can, and
     * otherwise looks at the markers. Worker thread, every scan interval.
     */
    void pollUnwatched() {
        if (repos.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (Repo r : repos) {
                if (r.key != null || closed) {
                    continue;
                }
                register(r);
                String op = probe(r);
                if (op != null) {
                    hold(r, op);
                } else if (r.hold != null && r.release == null) {
                    linger(r);
                }
            }
        }
    }

    /** The most telling operation among the markers the watch reported, gone as they may be by now. */
    private String seenOperation(Repo r) {
        for (VcsRepository.Marker m : r.repo.markers()) {
            if (r.seen.contains(m.name())) {
                return m.operation();
            }
        }
        return r.repo.anyOperation();
    }

    // ------------------------------------------------------------------ polling backend

    /**
     * After a scan read a root, before its changes go out: holds while a marker exists, or when the state
     * file is another since the last look (an operation ran while the scan read). Worker
     * thread.
     */
    void beforeApply() {
        if (repos.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (Repo r : repos) {
                if (closed) {
                    return;
                }
                String op = probe(r);
                Stat now = state(r);
                boolean moved = !Objects.equals(now, r.last);
                r.last = now;
                if (op != null) {
                    hold(r, op);
                    r.busy = true;
                } else if (moved) {
                    hold(r, r.hold != null ? r.hold.reason() : named(r, r.repo.anyOperation()));
                    r.busy = true;
                }
            }
        }
    }

    /** After a whole scan: a hold starts to linger once a scan saw no marker and nothing move. Worker thread. */
    void afterScan() {
        if (repos.isEmpty()) {
            return;
        }
        synchronized (this) {
            for (Repo r : repos) {
                if (r.busy) {
                    r.busy = false;
                } else if (r.hold != null && r.release == null && !closed) {
                    linger(r);
                }
            }
        }
    }

    /** What an operation replaces when it completes, even one too short to be seen in progress. */
    private static @Nullable Stat state(Repo r) {
        return stat(r.repo.stateFile());
    }

    // ------------------------------------------------------------------ holds

    /** Under the lock: holds for {@code reason}; a hold for another reason is replaced (the new one opens first). */
    private void hold(Repo r, String reason) {
        cancelRelease(r);
        Hold old = r.hold;
        if (old != null && old.reason().equals(reason)) {
            return;
        }
        r.hold = holds.apply(reason);
        if (old != null) {
            old.close();
        }
    }

    /** Under the lock: closes the hold at once. */
    private void release(Repo r) {
        cancelRelease(r);
        Hold h = r.hold;
        r.hold = null;
        if (h != null) {
            h.close();
        }
    }

    /** Under the lock: closes the hold after {@link #linger}, unless a marker is back by then. */
    private void linger(Repo r) {
        if (r.release != null || r.hold == null) {
            return;
        }
        r.release = timer().schedule(() -> lingered(r), linger.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void lingered(Repo r) {
        r.release = null;
        if (closed || r.hold == null) {
            return;
        }
        String op = probe(r);
        if (op != null) {
            hold(r, op);
        } else {
            release(r);
        }
    }

    private static void cancelRelease(Repo r) {
        Disposable d = r.release;
        r.release = null;
        if (d != null) {
            d.dispose();
        }
    }

    private String named(Repo r, String operation) {
        return several ? operation + " in " + r.repo.workTree() : operation;
    }

    // ------------------------------------------------------------------ markers and lock age

    /**
     * Under the lock: the operation the markers say is in progress now (the first in priority order that
     * exists, stale locks left out), or {@code null}. Every lock is looked at, so a stale one is reported even
     * while another marker holds.
     */
    private @Nullable String probe(Repo r) {
        long now = timer().now(TimeUnit.MILLISECONDS);
        String op = null;
        for (VcsRepository.Marker m : r.repo.markers()) {
            Stat s = stat(r.repo.markerDir().resolve(m.name()));
            boolean holds = m.lock() ? lockHolds(r, m, s, now) : s != null;
            if (holds && op == null) {
                op = r.repo.operation(m);
            }
        }
        return op == null ? null : named(r, op);
    }

    private boolean lockHolds(Repo r, VcsRepository.Marker m, @Nullable Stat s, long now) {
        String name = m.name();
        Stale stale = r.stale.get(name);
        LockId id = s == null ? null : new LockId(s.key(), s.mtime());
        if (stale != null && !stale.id().equals(id)) {
            r.stale.remove(name); // gone, or replaced by a fresh lock: the warning is over
            clearWarning.accept(stale.message());
            stale = null;
        }
        if (id == null) {
            r.locks.remove(name);
            return false;
        }
        if (stale != null) {
            return false;
        }
        LockSeen seen = r.locks.get(name);
        if (seen == null || !seen.id().equals(id)) {
            seen = new LockSeen(id, Math.min(now, TimeUnit.NANOSECONDS.toMillis(id.mtime())));
            r.locks.put(name, seen);
        }
        long left = seen.since() + lockTimeoutMillis - now;
        if (left <= 0) {
            Path path = r.repo.markerDir().resolve(name);
            String tool = r.repo.kind().tool();
            String message = "stale " + tool + " lock " + path + ": older than " + describe(lockTimeout)
                    + ", ticks no longer wait for it (a crashed " + tool + " leaves it behind; delete it if no "
                    + tool + " command is running)";
            r.stale.put(name, new Stale(id, message));
            r.locks.remove(name);
            warn.accept(message);
            return false;
        }
        checkAgeIn(r, now, left);
        return true;
    }

    /** Under the lock: looks at the locks again when the oldest reaches the timeout. */
    private void checkAgeIn(Repo r, long now, long delayMillis) {
        long at = now + delayMillis;
        Disposable pending = r.ageCheck;
        if (pending != null && !pending.isDisposed() && r.ageCheckAt <= at) {
            return;
        }
        cancelAgeCheck(r);
        r.ageCheckAt = at;
        r.ageCheck = timer().schedule(() -> agedOut(r), delayMillis, TimeUnit.MILLISECONDS);
    }

    private synchronized void agedOut(Repo r) {
        r.ageCheck = null;
        if (closed) {
            return;
        }
        String op = probe(r);
        if (op != null) {
            hold(r, op);
        } else {
            release(r); // the lock went stale: no reason to linger
        }
    }

    private static void cancelAgeCheck(Repo r) {
        Disposable d = r.ageCheck;
        r.ageCheck = null;
        if (d != null) {
            d.dispose();
        }
    }

    private Scheduler timer() {
        return Objects.requireNonNull(timer, "timer");
    }

    private static @Nullable Stat stat(Path path) {
        try {
            return Stat.of(path, false);
        } catch (IOException e) {
            return null; // unreadable: as if absent, git cannot use it either
        }
    }

    /** {@code 10 min}, {@code 30 s}, {@code 1500 ms}. */
    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return ms + " ms";
    }
}
