package io.reactivewatch.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.reactivewatch.core.Rescan;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import reactor.core.scheduler.Schedulers;

/**
 * The native backend: a {@link WatchService} key on every tracked directory. Events are hints: each path
 * they name is stat'ed once per batch and compared with the snapshot (a file's stat with its tracked one, a
 * directory's subtree by a walk and a diff), so repeats collapse and an atomic save (temp file renamed over
 * the target) reads as one modification. New directories are registered, then walked.
 * Overflow rescans the directory's subtree. Directories that cannot be watched, and roots that disappear,
 * are polled every scan interval instead. A sync writes a cookie file into each watched root and completes
 * once the worker saw every cookie and then drained the watch service's queue (docs/design.md, "Sync").
 *
 * <p>A file root is watched through one key on its directory, which is never walked: of that directory's
 * events only those naming a file root count, so its other entries and subdirectories cost nothing.
 */
final class NativeWatcher extends TreeWatcher {

    /** Most events drained into one batch before it is processed. */
    private static final int MAX_BATCH = 8192;
    /** How long a drain waits for one more key once the queue is empty. */
    private static final long LINGER = TimeUnit.MILLISECONDS.toNanos(1);
    /** How long one drain may go on lingering while keys keep coming: the latency it can add to a batch. */
    private static final long LINGER_MAX = TimeUnit.MILLISECONDS.toNanos(2);

    private volatile WatchService watcher;
    private final Map<WatchKey, Path> keyDirs = new ConcurrentHashMap<>();
    private final Map<Path, WatchKey> dirKeys = new ConcurrentHashMap<>();
    /** Tops of subtrees that are polled because a watch could not be registered there. */
    private final Set<Path> polled = ConcurrentHashMap.newKeySet();
    /** The file roots by the directory watched for them. Fixed at construction. */
    private final Map<Path, List<Root>> fileRoots = new HashMap<>();
    /** Directories of file roots that could not be watched: their files are stat'ed every scan interval. */
    private final Set<Path> unwatchedFileDirs = ConcurrentHashMap.newKeySet();
    /**
     * The batch's file changes found so far and not yet applied (see {@link #recheck}): applied together by
     * {@link #flushFiles}, before anything else changes the tree, so changes go out in the batch's order.
     */
    private final List<FileUpdate> pendingFiles = new ArrayList<>();
    /** Tops of the subtrees the batch being processed walked (see {@link #coveredByWalk}). */
    private final List<Path> walked = new ArrayList<>();
    /** Test seam: holds the worker before it takes events, so a test can make the JDK overflow. */
    private final CountDownLatch gate;

    /*
     * Waking a worker parked in WatchService.poll: only an interrupt ends that wait early, and an interrupt
     * that lands anywhere else would close the channel a hash is being read through. So the worker says
     * when it is parked; wake() interrupts only a parked worker, and claims the park by a CAS so the worker
     * knows, when it comes back, that an interrupt was sent (or is on its way) and must not touch files again.
     * A ready sync request nudges a parked worker the same way (NUDGED): the worker then takes that one
     * interrupt before it touches a file, and goes on.
     */
    private static final int BUSY = 0;
    private static final int PARKED = 1;
    private static final int WOKEN = 2;
    private static final int NUDGED = 3;
    private final AtomicInteger park = new AtomicInteger(BUSY);
    private volatile Thread parkedThread;

    NativeWatcher(WatcherConfig cfg) {
        super(cfg, Backend.NATIVE);
        this.gate = cfg.hooks().holdNativeWorker();
        for (Root root : roots) {
            if (root.file) {
                fileRoots.computeIfAbsent(root.dir, d -> new ArrayList<>()).add(root);
            }
        }
    }

    @Override
    void open() {
        try {
            watcher = cfg.hooks().watchServices().open();
        } catch (IOException e) {
            // Out of inotify instances, or no notification at all: poll everything rather than fail.
            reportError("native watching is unavailable (" + describe(e) + "); polling every "
                    + cfg.scanInterval().toMillis() + " ms instead");
        }
        int threads = Math.max(1, cfg.hooks().scanParallelism());
        ForkJoinPool pool = threads > 1 ? new ForkJoinPool(threads) : null;
        try {
            for (Root root : roots) {
                openRoot(root, this::watch, pool);
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        updateTracked();
        vcs.open(this::watchMarkers);
    }

    /**
     * A repository's marker directory: created and deleted entries only, not recursive, so git's own writes
     * (the index, the object store) raise nothing. {@code null} when it cannot be watched; it is then polled.
     */
    private WatchKey watchMarkers(Path dir) throws IOException {
        WatchService w = watcher;
        if (w == null || dirKeys.containsKey(dir)) {
            // A tree watches it already (a root inside a git directory): one key cannot serve both, so poll.
            return null;
        }
        return dir.register(w, ENTRY_CREATE, ENTRY_DELETE);
    }

    /** Whether the worker waits in {@code poll} (for tests: cancelling must end that wait, too). */
    boolean parkedInPoll() {
        return park.get() == PARKED;
    }

    @Override
    void wake() {
        if (park.compareAndSet(PARKED, WOKEN)) {
            Thread t = parkedThread;
            if (t != null) {
                t.interrupt();
            }
        }
        if (gate != null) {
            gate.countDown();
        }
    }

    /** A worker parked in {@code poll} gets one interrupt; one waiting in {@link #parkUntil} an unpark. */
    @Override
    void nudge() {
        if (park.compareAndSet(PARKED, NUDGED)) {
            Thread t = parkedThread;
            if (t != null) {
                t.interrupt();
            }
        }
        unparkWorker();
    }

    /**
     * Writes the cookies on a {@code boundedElastic} thread (the caller may be a non-blocking one); their
     * events wake the worker. Only roots a watch covers get one: a polled or lost root is scanned instead.
     */
    @Override
    void startSync(SyncBarrier.Request request) {
        Runnable write = () -> barrier.writeCookies(request, cfg.roots(), this::cookieRaisesEvent,
                cfg.hooks().refuseCookie(), this::shown);
        try {
            Schedulers.boundedElastic().schedule(write);
        } catch (RejectedExecutionException e) {
            barrier.written(request); // no scheduler to write on: the worker drains what is queued
        }
    }

    /** Whether a cookie in this root raises an event: a watch covers it, and it is not lost. Any thread. */
    private boolean cookieRaisesEvent(Path root) {
        Root r = rootOf(root);
        return r != null && !r.missing && dirKeys.containsKey(root) && !polled.contains(root);
    }

    /** Closing the watch service ends a worker waiting in {@code poll} at once. */
    @Override
    void release() {
        WatchService w = watcher;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the watch service failed", e);
            }
        }
    }

    // ------------------------------------------------------------------ registration

    /**
     * Registers a watch on a directory, or marks its subtree polled when the platform refuses. A key already
     * held for the path is kept only while the tracked directory there has the file key the walk just read:
     * otherwise it belongs to a directory that moved away, and would go on reporting that one's events here.
     */
    private boolean watch(Path dir, long fileKey) {
        if (insidePolled(dir)) {
            return false;
        }
        if (watcher == null) {
            polled.add(dir);
            return false;
        }
        WatchKey known = dirKeys.get(dir);
        if (known != null && known.isValid()) {
            if (fileKey == 0 || tracksDirectory(dir, fileKey)) {
                return true;
            }
            dirKeys.remove(dir, known);
            if (keyDirs.remove(known, dir)) {
                known.cancel();
            }
        }
        try {
            if (cfg.hooks().refuseWatch().test(dir)) {
                throw new AccessDeniedException(dir.toString());
            }
            WatchKey key = dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            // inotify watches inodes: a directory that moved comes back with its old key, which now means here.
            Path previous = keyDirs.put(key, dir);
            if (previous != null && !previous.equals(dir)) {
                dirKeys.remove(previous, key);
            }
            dirKeys.put(dir, key);
            return true;
        } catch (NoSuchFileException e) {
            return false; // gone already; its parent's events report it
        } catch (ClosedWatchServiceException e) {
            return false;
        } catch (IOException e) {
            polled.add(dir);
            reportError("cannot watch " + shown(dir) + " (" + describe(e) + "); polling it every "
                    + cfg.scanInterval().toMillis() + " ms instead");
            return false;
        }
    }

    /** Whether the tracked tree holds a directory at {@code dir} with this file key. */
    private boolean tracksDirectory(Path dir, long fileKey) {
        Root root = rootOf(dir);
        Stat tracked = root == null ? null : root.tree.get(dir);
        return tracked != null && tracked.isDir() && tracked.key() == fileKey;
    }

    private boolean insidePolled(Path dir) {
        if (polled.isEmpty()) {
            return false;
        }
        for (Path d = dir; d != null; d = d.getParent()) {
            if (polled.contains(d)) {
                return true;
            }
        }
        return false;
    }

    private void unwatch(Applied applied) {
        unwatch(applied.goneDirs());
    }

    private void unwatch(Collection<Path> dirs) {
        for (Path dir : dirs) {
            WatchKey key = dirKeys.remove(dir);
            if (key != null && keyDirs.remove(key, dir)) {
                key.cancel();
            }
            polled.remove(dir);
            git.forget(dir);
        }
    }

    // ------------------------------------------------------------------ the worker

    @Override
    void work() throws InterruptedException {
        CountDownLatch g = gate;
        if (g != null) {
            g.await();
        }
        long interval = cfg.scanInterval().toNanos();
        long nextPoll = System.nanoTime() + interval;
        if (watcher == null) {
            while (true) {
                parkUntil(nextPoll);
                if (cancelled()) {
                    return;
                }
                List<SyncBarrier.Request> syncs = barrier.takeReady(root -> true);
                if (!syncs.isEmpty() || System.nanoTime() - nextPoll >= 0) {
                    pollFallbacks(); // every root is polled: this scan, started now, covers the requests
                    nextPoll = System.nanoTime() + interval;
                }
                barrier.complete(syncs);
            }
        }
        parkedThread = Thread.currentThread();
        try {
            while (!cancelled()) {
                park.set(PARKED);
                if (cancelled()) {
                    return; // the wake came before the park was visible, so it sent no interrupt
                }
                WatchKey key;
                boolean interrupted = false;
                try {
                    // Every scan interval, even when nothing is polled: a root moved away raises no event. No
                    // wait at all when a sync request is ready (its nudge may have come before this park).
                    long wait = barrier.hasReady() ? 0 : Math.max(0, nextPoll - System.nanoTime());
                    key = watcher.poll(wait, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    key = null;
                    interrupted = true;
                }
                int was = park.getAndSet(BUSY);
                if (was == WOKEN || (was == PARKED && interrupted)) {
                    return; // cancelled: an interrupt was sent, so no file may be read on this thread any more
                }
                if (was == NUDGED && !interrupted) {
                    // The nudge's interrupt was sent or is on its way: take it before a file is touched.
                    while (!Thread.interrupted()) {
                        Thread.onSpinWait();
                    }
                }
                Batch batch = new Batch();
                boolean drained = drain(key, batch);
                process(batch);
                if (System.nanoTime() - nextPoll >= 0) {
                    pollFallbacks();
                    nextPoll = System.nanoTime() + interval;
                }
                if (drained) {
                    syncs();
                }
            }
        } catch (ClosedWatchServiceException e) {
            // cancelled: release() closed the service
        }
    }

    /**
     * Collects the queued keys, starting with {@code first} if it is not {@code null}, until the queue is empty
     * or the batch is full. A queue found empty is given {@link #LINGER} for one more key, again while keys
     * keep coming, until {@link #LINGER_MAX} after the drain began: not for an empty batch (cookies alone), nor
     * once a sync request is ready or the watcher is cancelled.
     *
     * @return whether the queue was found empty (every key signalled before this call was taken)
     */
    private boolean drain(WatchKey first, Batch batch) {
        WatchKey key = first != null ? first : watcher.poll();
        long lingerEnd = System.nanoTime() + LINGER_MAX;
        while (true) {
            while (key != null) {
                collect(key, batch);
                if (batch.size() >= MAX_BATCH) {
                    return false;
                }
                key = watcher.poll();
            }
            // A trickle of events (a key per file as a build writes them) would otherwise wake this thread and
            // cost a batch per key: wait a little for the next key, and take every key signalled meanwhile.
            long left = lingerEnd - System.nanoTime();
            if (batch.size() == 0 || left <= 0 || cancelled() || barrier.hasReady()) {
                return true;
            }
            LockSupport.parkNanos(this, Math.min(LINGER, left)); // cancel() and nudge() unpark it
            key = watcher.poll();
            if (key == null) {
                return true; // nothing for a whole linger: the batch is complete
            }
        }
    }

    /**
     * Right after a drain that found the queue empty and the batch processed: completes the sync requests
     * whose cookies were all seen (so every event queued before them has been taken and processed). Polled
     * subtrees and lost roots raise no events: they are scanned first, and that scan starts after every
     * request it completes.
     */
    private void syncs() {
        List<SyncBarrier.Request> ready = barrier.takeReady(root -> !cookieRaisesEvent(root));
        if (ready.isEmpty()) {
            return;
        }
        boolean lostRoot = false;
        for (Root r : roots) {
            lostRoot |= r.missing;
        }
        if (lostRoot || !polled.isEmpty()) {
            pollFallbacks();
        }
        barrier.complete(ready);
    }

    private static final class Batch {
        final Set<Path> paths = new LinkedHashSet<>();
        final Set<Path> overflowed = new LinkedHashSet<>();
        final Set<Path> invalid = new LinkedHashSet<>();

        int size() {
            return paths.size() + overflowed.size() + invalid.size();
        }
    }

    private void collect(WatchKey key, Batch batch) {
        List<WatchEvent<?>> events = key.pollEvents();
        boolean valid = key.reset();
        if (vcs.noteEvents(key, events, valid)) {
            return; // a repository's marker directory: no tree's
        }
        Path dir = keyDirs.get(key);
        if (dir == null) {
            return; // a key we cancelled; its directory's fate is handled by its parent's events
        }
        List<Root> files = fileRoots.get(dir);
        if (files != null) {
            collectForFiles(files, events, valid, batch);
            return;
        }
        for (WatchEvent<?> event : events) {
            if (event.kind() == OVERFLOW) {
                batch.overflowed.add(dir);
            } else if (event.context() instanceof Path name) {
                if (SyncBarrier.isCookie(name.toString())) {
                    barrier.seen(dir.resolve(name)); // never a change: not even stat'ed
                } else {
                    batch.paths.add(dir.resolve(name));
                }
            }
        }
        if (!valid) {
            batch.invalid.add(dir);
        }
    }

    /**
     * The events of a file root's directory, as paths of its file roots: an event naming another entry is
     * dropped (a sibling, or a directory root inside, which has a key of its own), an overflow or a lost key
     * concerns each of its file roots.
     */
    private static void collectForFiles(List<Root> files, List<WatchEvent<?>> events, boolean valid, Batch batch) {
        for (WatchEvent<?> event : events) {
            for (Root root : files) {
                if (event.kind() == OVERFLOW) {
                    batch.overflowed.add(root.path);
                } else if (event.context() instanceof Path name && name.equals(root.path.getFileName())) {
                    batch.paths.add(root.path);
                }
            }
        }
        if (!valid) {
            files.forEach(root -> batch.invalid.add(root.path));
        }
    }

    /**
     * Processes events naming these paths as one batch, on the caller's thread. For tests, while the worker
     * is held before it takes events ({@link TestHooks#withHeldNativeWorker}): the caller is then the trees'
     * only writer, and decides exactly what one batch holds.
     */
    void processEvents(List<Path> paths) {
        Batch batch = new Batch();
        batch.paths.addAll(paths);
        process(batch);
    }

    private void process(Batch batch) {
        // A version-control operation holds before any of its changes go out, and is looked at again after.
        vcs.beforeBatch(batch.size() > 0);
        try {
            processTree(batch);
        } finally {
            vcs.afterBatch();
        }
    }

    private void processTree(Batch batch) {
        // Keys follow directories, not paths: a root moved away goes on raising events under its old path. So
        // before anything in the batch is believed, each root it touches must still be the tracked directory.
        for (Root root : roots) {
            if (!root.missing && touches(batch, root.path)) {
                guarded(root.path, () -> checkIdentity(root));
            }
        }
        List<Path> rescanned = new ArrayList<>();
        for (Path dir : batch.overflowed) {
            if (!under(dir, rescanned)) {
                rescanned.removeIf(p -> p.startsWith(dir));
                rescanned.add(dir);
            }
        }
        for (Path dir : rescanned) {
            guarded(dir, () -> rescan(dir, "overflow"));
        }
        walked.clear();
        for (Path path : batch.paths) {
            if (!under(path, rescanned) && !coveredByWalk(path)) {
                guarded(path, () -> recheck(path));
            }
        }
        flushFiles();
        walked.clear();
        for (Path dir : batch.invalid) {
            if (!under(dir, rescanned)) {
                guarded(dir, () -> keyLost(dir));
            }
        }
        flushFiles();
    }

    private static boolean touches(Batch batch, Path root) {
        for (Set<Path> paths : List.of(batch.paths, batch.overflowed, batch.invalid)) {
            for (Path p : paths) {
                if (p.startsWith(root)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean under(Path path, List<Path> tops) {
        for (Path top : tops) {
            if (path.startsWith(top)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a walk of this batch already read the path, so its recheck would find nothing that a later event
     * does not report. The path's event was queued before this batch was drained, and the walk of the subtree
     * holding it started after that (it runs while the batch is processed): its listing of the path's
     * directory and its stat of the path were taken after the change that raised the event. The walk's tree
     * was applied before this check, so what it read is what is tracked; a change made since the walk raises
     * an event of its own, because the walk registered every directory before listing it (or, where that
     * failed, the subtree is polled). Not for a directory the walk could not list: what is tracked there is
     * not what the walk read, so its paths are rechecked as before.
     */
    private boolean coveredByWalk(Path path) {
        if (walked.isEmpty()) {
            return false;
        }
        Path parent = path.getParent();
        if (parent == null || !under(parent, walked)) {
            return false;
        }
        Root root = rootOf(path);
        DirEntries node = root == null ? null : root.tree.node(parent);
        return node == null || !node.isUnreadable();
    }

    /** Applies the batch's pending file changes in one step. */
    private void flushFiles() {
        if (pendingFiles.isEmpty()) {
            return;
        }
        List<FileUpdate> updates = List.copyOf(pendingFiles);
        pendingFiles.clear();
        guarded(updates.get(0).path(), () -> applyFiles(updates));
    }

    private void guarded(Path path, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // One bad path must not end the source; say so in status and carry on.
            reportError("could not process a change of " + shown(path) + ": " + e);
        }
    }

    /** Decides from the filesystem, not from the event, what happened to one path. */
    private void recheck(Path path) {
        Root root = rootOf(path);
        if (root == null || root.missing) {
            return;
        }
        if (root.file) {
            flushFiles();
            refreshFile(root, null);
            return;
        }
        if (path.equals(root.path)) {
            flushFiles();
            keyLost(path);
            return;
        }
        Path parent = path.getParent();
        if (root.tree.node(parent) == null) {
            return; // the parent is not tracked (ignored, or gone and already reported)
        }
        Stat stat;
        try {
            stat = Stat.of(path, cfg.followSymlinks());
        } catch (IOException e) {
            reportError("cannot read " + shown(path) + ": " + describe(e));
            return;
        }
        Stat old = root.tree.get(path);
        Stat now = stat == null || !root.scanner.accepts(path, stat.isDir()) ? null : stat;
        boolean gitignore = path.getFileName().toString().equals(GitIgnores.FILE_NAME);
        if (hasher == null && !(gitignore && cfg.vcsIgnore()) && (old == null || !old.isDir())
                && (now == null || !now.isDir())) {
            // A file on both sides (or absent): its slot changes, nothing under it. Applied with the batch's
            // other such changes, without a diff. Content hashing can turn a metadata change into no change,
            // and a .gitignore rescans its directory: both take the diff below.
            if (old == null ? now != null : now == null || !old.sameMetadata(now)) {
                pendingFiles.add(new FileUpdate(root, path, old, now));
            }
            return;
        }
        flushFiles();
        boolean touched = false;
        if (stat == null || !root.scanner.accepts(path, stat.isDir())) {
            if (old != null) {
                unwatch(apply(root, Snapshot.absent(path), null));
                touched = true;
            }
        } else if (!stat.isDir()) {
            if (old == null || !old.sameMetadata(stat) || old.isDir()) {
                unwatch(apply(root, new Snapshot(path, stat), null));
                touched = true;
            }
        } else if (old == null || !old.isDir() || old.key() != stat.key() || root.tree.node(path) == null) {
            // A new (or replaced) directory: register it, then walk it, so nothing created meanwhile is missed.
            unwatch(apply(root, root.scanner.scan(path, this::watch, null), null));
            walked.add(path);
        }
        if (gitignore && cfg.vcsIgnore() && (touched || old == null)) {
            // New rules for this subtree: rescan it, so newly ignored paths leave and newly visible ones arrive.
            rescan(parent, null);
        }
    }

    /** Rescans a subtree and delivers the difference, with a rescan marker when a reason is given. */
    private void rescan(Path dir, String reason) {
        Root root = rootOf(dir);
        if (root == null || root.missing) {
            return;
        }
        if (root.file) {
            refreshFile(root, reason);
            return;
        }
        if (!dir.equals(root.path) && root.tree.node(dir.getParent()) == null) {
            return;
        }
        // A root that is gone, or has something else in its place, has no tree to watch until a directory is back.
        String change = dir.equals(root.path) ? rootChange(root) : null;
        if (change != null) {
            lose(root, change);
            return;
        }
        if (dir.equals(root.path)) {
            barrier.rootRescanning(dir); // an overflow may have swallowed a cookie's event: this scan covers it
        }
        Snapshot fresh = root.scanner.scan(dir, this::watch, null);
        change = dir.equals(root.path) ? rootChange(root.tree.topStat(), fresh.topStat()) : null;
        if (change != null) {
            lose(root, change); // replaced while it was walked
            return;
        }
        unwatch(apply(root, fresh, reason == null ? null : new Rescan(dir, reason)));
        walked.add(dir);
    }

    /** A key became invalid: its directory was deleted, replaced or became unreadable. */
    private void keyLost(Path dir) {
        Root root = rootOf(dir);
        if (root == null || root.missing) {
            return;
        }
        if (root.file) {
            forgetKey(root.dir);
            refreshFile(root, "watch lost"); // events may have been missed meanwhile; it watches again
            return;
        }
        WatchKey stale = dirKeys.get(dir);
        if (stale != null && !stale.isValid()) {
            dirKeys.remove(dir, stale);
            keyDirs.remove(stale, dir);
        }
        if (dir.equals(root.path)) {
            rescan(dir, "root changed");
        } else {
            recheck(dir);
            flushFiles();
            if (root.tree.node(dir) != null && !dirKeys.containsKey(dir)) {
                rescan(dir, "watch lost");
            }
        }
    }

    /** A watched root whose path no longer holds its directory is lost; its keys are cancelled. */
    private void checkIdentity(Root root) {
        String change = rootChange(root);
        if (change != null) {
            lose(root, change);
        }
    }

    /**
     * A root is lost: its tree is reported deleted and its keys cancelled. A file root's directory holds the
     * identity of every file root in it, so they are lost together, and its key goes with them.
     */
    private void lose(Root root, String change) {
        if (!root.file) {
            unwatch(rootLost(root, change));
            return;
        }
        for (Root r : fileRoots.get(root.dir)) {
            if (!r.missing) {
                rootLost(r, change);
            }
        }
        forgetKey(root.dir);
        unwatchedFileDirs.remove(root.dir);
    }

    // ------------------------------------------------------------------ file roots

    /**
     * Registers a key on a file root's directory, unless one is held; where the platform refuses, its file
     * roots are stat'ed every scan interval instead. Only the directory itself: nothing under it is walked.
     */
    @Override
    void watchDirectory(Root root) {
        Path dir = root.dir;
        WatchKey known = dirKeys.get(dir);
        if (known != null && known.isValid()) {
            return;
        }
        if (watcher == null) {
            unwatchedFileDirs.add(dir);
            return;
        }
        try {
            if (cfg.hooks().refuseWatch().test(dir)) {
                throw new AccessDeniedException(dir.toString());
            }
            WatchKey key = dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            keyDirs.put(key, dir);
            dirKeys.put(dir, key);
            unwatchedFileDirs.remove(dir);
        } catch (NoSuchFileException | ClosedWatchServiceException e) {
            // Gone already: the next identity check finds the root lost. Or closing.
        } catch (IOException e) {
            unwatchedFileDirs.add(dir);
            reportError("cannot watch " + dir + " (" + describe(e) + "); polling " + shown(root.path) + " every "
                    + cfg.scanInterval().toMillis() + " ms instead");
        }
    }

    /** Cancels the key held for a directory, if any. */
    private void forgetKey(Path dir) {
        WatchKey key = dirKeys.remove(dir);
        if (key != null) {
            keyDirs.remove(key, dir);
            key.cancel();
        }
    }

    /**
     * The truth of a file root: its directory must still be the tracked one (else the root is lost), and is
     * watched again if its key went; then the file is stat'ed and diffed, with a rescan marker when a reason is
     * given.
     */
    private void refreshFile(Root root, String reason) {
        String change = rootChange(root);
        if (change != null) {
            lose(root, change);
            return;
        }
        watchDirectory(root);
        apply(root, root.scanner.scan(root.path, null, null), reason == null ? null : new Rescan(root.path, reason));
    }

    private void pollFallbacks() {
        vcs.pollUnwatched();
        for (Root root : roots) {
            if (root.file) {
                guarded(root.path, () -> pollFileRoot(root));
                continue;
            }
            if (root.missing) {
                guarded(root.path, () -> {
                    Snapshot fresh = root.scanner.scan(root.path, this::watch, null);
                    if (fresh.present() && fresh.topStat().isDir()) {
                        rootBack(root);
                        unwatch(apply(root, fresh, null));
                    }
                });
            } else if (!polled.contains(root.path)) {
                guarded(root.path, () -> checkIdentity(root)); // a polled root is checked by its rescan below
            }
        }
        for (Path dir : List.copyOf(polled)) {
            if (polled.contains(dir) && !insidePolledAbove(dir)) {
                guarded(dir, () -> {
                    Root root = rootOf(dir);
                    if (root != null && !root.missing && dir.equals(root.path)) {
                        rescan(dir, null); // a root that went away is lost, then polled for, like a watched one
                    } else if (root != null && !root.missing && root.tree.get(dir) != null) {
                        unwatch(apply(root, root.scanner.scan(dir, this::watch, null), null));
                    } else {
                        polled.remove(dir);
                    }
                });
            }
        }
    }

    /**
     * Every scan interval, for a file root: a lost one comes back once a directory is at its directory's path
     * (the file reported created if it is there); one whose directory could not be watched is stat'ed; any
     * other has its directory's identity checked, which raises no event when it moves away.
     */
    private void pollFileRoot(Root root) {
        if (root.missing) {
            if (holdsDirectory(root)) {
                rootBack(root);
                watchDirectory(root);
                apply(root, root.scanner.scan(root.path, null, null), null);
            }
        } else if (unwatchedFileDirs.contains(root.dir)) {
            refreshFile(root, null);
        } else {
            checkIdentity(root);
        }
    }

    private boolean insidePolledAbove(Path dir) {
        for (Path d = dir.getParent(); d != null; d = d.getParent()) {
            if (polled.contains(d)) {
                return true;
            }
        }
        return false;
    }
}
