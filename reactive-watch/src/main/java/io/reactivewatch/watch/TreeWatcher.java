package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.SourceDescription;
import io.reactivewatch.core.SourceEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * What both backends share, behind a {@link FileSource}: the tracked snapshot per root, the one lock that
 * makes "update the snapshot and emit the change" atomic with respect to {@link #checkpoint()}, the worker
 * thread, the persisted section and the lock-free status description.
 *
 * <p>Threads: {@link #open()} and {@link #restore} run on the caller of {@link FileSource#open}, before the
 * worker starts; after subscription, one worker thread owns the roots' trees and is their only writer. It
 * reads them without the lock (no one else writes), and replaces them and emits under {@link #lock};
 * readers on other threads ({@link #checkpoint()}) read under it. What it emits into runs under the lock,
 * so only a subscriber that merely hands events on may subscribe here: the core daemon (which merges them
 * into its pending set), or the hand-off {@link FileSource#events()} puts in front of anyone else.
 * {@link #describe()} and {@link #cancel()} take no lock and never block: the daemon calls them from any
 * thread.
 */
abstract class TreeWatcher {

    static final System.Logger LOG = System.getLogger(TreeWatcher.class.getName());

    final WatcherConfig cfg;
    final GitIgnores git = new GitIgnores();
    final List<Root> roots = new ArrayList<>();
    final ContentHasher hasher;
    final Object lock = new Object();
    /** The open {@link #sync()} requests, completed by the worker. */
    final SyncBarrier barrier = new SyncBarrier(this::nudge);

    private final Backend backend;
    private final List<String> rootNames;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    /** Orders starting the worker against {@link #close}, so a worker never starts after close looked. */
    private final Object threadLock = new Object();
    private volatile FluxSink<SourceEvent> sink;
    private volatile boolean cancelled;
    private volatile String error;
    private volatile long tracked;
    private volatile long trackedDirs;
    /** Guarded by the lock: whether a full checkpoint was taken, so changed entries are worth recording. */
    private boolean checkpointed;
    private volatile Thread worker;
    /** Version-control deferral; set before {@link #open()}, off unless the source defers. */
    VcsDeferral vcs = VcsDeferral.off();

    /**
     * One watch root and its tracked tree. Written only by the worker (or by open() before it starts). A file
     * root's tree is that one file (its top); its directory is watched for that name only, and is the root's
     * identity: the directory gone or replaced makes the root lost, the file gone is only a deletion.
     */
    static final class Root {
        final Path path;
        final Scanner scanner;
        /** Whether the root is a single file rather than a directory tree. */
        final boolean file;
        /** The directory whose entries can change the root: the root itself, or a file root's parent. */
        final Path dir;
        /** A file root's directory as tracked (its file key tells it from another one at its path). */
        Stat dirStat;
        Snapshot tree;
        /** Tracked entries below the root, and how many of them are directories. */
        long count;
        long dirs;
        /**
         * The path does not hold the tracked directory: nothing is tracked until a directory is back. Volatile
         * for the sync cookie writer, which skips a missing root.
         */
        volatile boolean missing;
        /** While missing: the error it reported, cleared when it is back. */
        String lostMessage;
        /**
         * Guarded by the lock: paths whose entries changed since the last checkpoint, for the next increment.
         * Kept only once a checkpoint was taken: with no state store nobody asks, and it would grow forever.
         */
        final Set<Path> changed = new HashSet<>();

        Root(Path path, Scanner scanner, boolean file) {
            this.path = path;
            this.scanner = scanner;
            this.file = file;
            this.dir = file ? path.getParent() : path;
            this.tree = Snapshot.absent(path);
        }
    }

    TreeWatcher(WatcherConfig cfg, Backend backend) {
        this.cfg = cfg;
        this.backend = backend;
        this.hasher = cfg.contentDedupe() ? ContentHasher.sha256() : null;
        List<String> names = new ArrayList<>();
        for (Path root : cfg.roots()) {
            boolean file = cfg.fileRoots().contains(root);
            roots.add(new Root(root, new Scanner(root, cfg.filter(), git, cfg.vcsIgnore(), cfg.followSymlinks(),
                    this::readFailed, file), file));
            names.add(shown(root).toString());
        }
        this.rootNames = List.copyOf(names);
    }

    /** Builds the initial snapshot (registering watches for the native backend). Blocking; caller's thread. */
    abstract void open() throws IOException;

    /** The worker loop; returns once {@link #cancelled()}. */
    abstract void work() throws Exception;

    /** Wakes the worker so it sees {@link #cancelled()} promptly. Any thread; never blocks or takes a lock. */
    abstract void wake();

    /**
     * Watches a file root's directory (that directory alone, never what is under it) for events naming the
     * file: the native backend's key. Nothing for the polling backend.
     */
    void watchDirectory(Root root) {
    }

    /** Releases what the watcher holds (the watch service). May block briefly; called by {@link #close}. */
    void release() {
    }

    /**
     * Starts a sync request on the caller's thread (which may be a non-blocking Reactor thread: anything that
     * blocks goes elsewhere); the worker completes it.
     */
    abstract void startSync(SyncBarrier.Request request);

    /**
     * Wakes the worker because a sync request is ready. Any thread; never blocks. This default suits a worker
     * that waits in {@link #parkUntil}.
     */
    void nudge() {
        unparkWorker();
    }

    /** Ends a {@link #parkUntil} wait. Any thread; never blocks. */
    final void unparkWorker() {
        Thread t = worker;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Worker: waits until the deadline ({@link System#nanoTime()}), a cancel, or a ready sync request.
     * {@link #wake()} and {@link #nudge()} unpark it; a spurious return just loops.
     */
    final void parkUntil(long deadline) {
        while (!cancelled && !barrier.hasReady()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(this, left);
        }
    }

    /**
     * Completes once every change made under the roots before the call has been emitted (see
     * {@link FileSource#sync()}); fails with {@link IllegalStateException} once the watcher stopped.
     */
    final Mono<Void> sync() {
        return barrier.request(this::startSync);
    }

    final Backend backend() {
        return backend;
    }

    /**
     * The start-up walk of one root, on the caller of {@link #open()}: a directory root's tree (its
     * {@code .gitignore} files above it read first), or a file root's file, after its directory's identity.
     *
     * @param hook registers watches (native backend), or {@code null}
     */
    final void openRoot(Root root, Scanner.WatchHook hook, ForkJoinPool pool) {
        if (root.file) {
            if (!holdsDirectory(root)) {
                rootLost(root, "removed, moved or renamed"); // gone since the source checked it: polled for
                return;
            }
            watchDirectory(root); // between the directory's stat and the file's, so nothing falls between
        } else if (cfg.vcsIgnore()) {
            git.loadAbove(root.path);
        }
        root.tree = root.scanner.scan(root.path, hook, pool);
        root.count = root.tree.count() + (root.file && root.tree.present() ? 1 : 0);
        root.dirs = root.tree.countDirs();
    }

    /**
     * The watcher's events, emitted on its worker thread under {@link #lock}. Subscribing starts the worker
     * thread; cancelling stops it (without blocking); {@link #close} releases the watch service. Subscribe
     * once. Subscribed after {@link #close}, it completes at once.
     */
    final Flux<SourceEvent> events() {
        return Flux.create(s -> {
            if (!subscribed.compareAndSet(false, true)) {
                s.error(new IllegalStateException("a FileSource can be subscribed once"));
                return;
            }
            s.onDispose(this::cancel);
            synchronized (threadLock) {
                if (cancelled) {
                    s.complete();
                    return;
                }
                sink = s;
                Thread t = new Thread(null, this::workerMain, "reactive-watch-" + backend.wireName(),
                        workerStackSize());
                t.setDaemon(true);
                worker = t;
                t.start();
            }
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** The worker thread's stack size in bytes, or 0 for the platform's default. */
    long workerStackSize() {
        return 0;
    }

    /** Whether the worker thread is running (for tests: it must end on close). */
    final boolean workerAlive() {
        Thread t = worker;
        return t != null && t.isAlive();
    }

    /** Tells the worker to end. Any thread; never blocks. */
    final void cancel() {
        cancelled = true;
        wake();
        unparkWorker();
    }

    final boolean cancelled() {
        return cancelled;
    }

    /** Cancels, releases the watch service and waits (up to {@code wait}) for the worker thread to end. */
    final void close(Duration wait) {
        cancel();
        vcs.close();
        release();
        Thread t;
        synchronized (threadLock) {
            t = worker;
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        barrier.close("the file source is closed");
    }

    private void workerMain() {
        try {
            work();
        } catch (Exception e) {
            if (!cancelled) {
                reportError("filesystem source stopped: " + e);
                FluxSink<SourceEvent> s = sink;
                if (s != null) {
                    s.error(e);
                }
            }
        } finally {
            barrier.close("the file source stopped"); // nothing more will be emitted: no sync can succeed
        }
    }

    /** Whether a subscriber is there to take events. */
    private boolean live() {
        FluxSink<SourceEvent> s = sink;
        return s != null && !s.isCancelled();
    }

    // ------------------------------------------------------------------ tree updates

    final Root rootOf(Path path) {
        for (Root r : roots) {
            if (path.startsWith(r.path)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Diffs a fresh scan of a subtree against what is tracked there, replaces the tracked subtree and emits
     * the marker (if any) and the changes, all under the lock. The tracked tree only moves when the events
     * reach a live subscriber: with no subscriber, or one that cancelled before or during the emission (stop
     * landing in the middle of a batch), the subtree keeps what the last delivered event left, so the
     * persisted snapshot is never newer than what the daemon was told and the next start reports the rest.
     *
     * @return how many changes were delivered, and the directories no longer tracked
     */
    final Applied apply(Root root, Snapshot fresh, SourceEvent marker) {
        if (!live()) {
            return Applied.NOTHING;
        }
        // Only this thread writes the tracked tree, so it reads it without the lock; the content hashes (disk
        // reads) go into the fresh snapshot it owns, and the diff after them is pure.
        Snapshot.Subtree old = root.tree.view(fresh.top());
        if (hasher != null) {
            fresh.fillHashes(old, hasher);
        }
        List<Change> changes = SnapshotDiff.diff(old, fresh);
        // The top is an entry of its own below a directory root, and is the one entry of a file root.
        boolean countsTop = root.file || !fresh.top().equals(root.path);
        long before = old.count() + (countsTop && old.present() ? 1 : 0);
        long after = fresh.count() + (countsTop && fresh.present() ? 1 : 0);
        long dirsBefore = old.countDirs() + (countsTop && old.present() && old.topStat().isDir() ? 1 : 0);
        long dirsAfter = fresh.countDirs() + (countsTop && fresh.present() && fresh.topStat().isDir() ? 1 : 0);
        Set<Path> gone = new HashSet<>(old.dirs());
        synchronized (lock) {
            FluxSink<SourceEvent> s = sink;
            if (s == null || s.isCancelled()) {
                return Applied.NOTHING;
            }
            root.tree.replace(fresh);
            emit(s, marker, changes);
            if (s.isCancelled()) {
                // Some events may have been dropped: the snapshot must not claim them. The cancel came from
                // the daemon's stop (takeUntilOther cancels the source before completing downstream), so
                // every event sent before this check was merged into its pending changes; at worst the next
                // start reports a change twice, never zero times.
                root.tree.restore(old);
                return Applied.NOTHING;
            }
            gone.removeAll(fresh.dirs()); // after replace: it keeps what was known under unreadable nodes
            root.count += after - before;
            root.dirs += dirsAfter - dirsBefore;
            if (checkpointed) {
                SnapshotDiff.changedEntries(old, root.tree.view(fresh.top()), root.changed);
            }
        }
        updateTracked();
        return new Applied(changes.size(), gone);
    }

    /**
     * One file's change found by a recheck, for {@link #applyFiles}: neither side is a directory, and the two
     * sides differ (presence, or metadata).
     *
     * @param root the root the file is under (a directory root, never the file's top)
     * @param path the file, whose parent directory is tracked
     * @param old  what is tracked at the path, or {@code null} when nothing is
     * @param now  what is there now, or {@code null} when nothing (or nothing the filters accept) is
     */
    record FileUpdate(Root root, Path path, @Nullable Stat old, @Nullable Stat now) {

        /** The change {@link SnapshotDiff} reports for these two sides, for which neither is a directory. */
        Change change() {
            ChangeKind kind = old == null ? ChangeKind.CREATED : now == null ? ChangeKind.DELETED : ChangeKind.MODIFIED;
            return new Change(path, kind, EntryType.FILE);
        }
    }

    /**
     * The batch form of {@link #apply} for files whose type did not change: each slot of its parent's node is
     * updated in place, and the changes are emitted under one lock, with no subtree view and no diff. Every
     * update must differ (see {@link FileUpdate}), so each is one change, the one {@link SnapshotDiff} reports:
     * a file that appeared is created, one that went is deleted, one whose metadata changed is modified,
     * always of type file (a link or special file reads as a file, as there). Without content hashing only:
     * with it, a metadata change can still be no change, which takes the diff.
     *
     * <p>Same guarantees as {@link #apply}: the tree moves only when the events reach a live subscriber; if it
     * cancels during the emission, every update of the call is undone (some of its events may have been
     * dropped), and counts and changed entries move only once the emission went through.
     *
     * @return how many changes were delivered
     */
    final int applyFiles(List<FileUpdate> updates) {
        if (updates.isEmpty() || !live()) {
            return 0;
        }
        List<Change> changes = new ArrayList<>(updates.size());
        for (FileUpdate u : updates) {
            if (u.root().tree.node(u.path().getParent()) == null) {
                // Checked before anything moves: a half-applied batch could not be undone.
                throw new IllegalStateException("the directory of " + u.path() + " is not tracked");
            }
            changes.add(u.change());
        }
        synchronized (lock) {
            FluxSink<SourceEvent> s = sink;
            if (s == null || s.isCancelled()) {
                return 0;
            }
            for (FileUpdate u : updates) {
                put(u.root(), u.path(), u.now());
            }
            emit(s, null, changes);
            if (s.isCancelled()) {
                // As in apply: the tree must not claim what may have been dropped, so all of it goes back.
                for (FileUpdate u : updates) {
                    put(u.root(), u.path(), u.old());
                }
                return 0;
            }
            for (FileUpdate u : updates) {
                u.root().count += (u.now() != null ? 1 : 0) - (u.old() != null ? 1 : 0);
                if (checkpointed) {
                    u.root().changed.add(u.path());
                }
            }
        }
        updateTracked();
        return changes.size();
    }

    /** Sets (or, for {@code null}, removes) a file's entry in its parent's node. */
    private static void put(Root root, Path path, @Nullable Stat stat) {
        if (stat == null) {
            root.tree.remove(path);
        } else {
            root.tree.put(path, stat);
        }
    }

    /**
     * Moves the tracked tree of a directory root as a {@link PollingScan} found it (its top's stat, then its node
     * edits) and emits the scan's changes, under the lock, with {@link #apply}'s guarantees: nothing moves
     * without a live subscriber, and a cancel during the emission puts every node back, so the tree never
     * claims an undelivered change. Counts and the changed entries for the next increment move with the edits.
     *
     * @return whether the tree now holds what the scan found (it moved, or there was nothing to move)
     */
    final boolean applyPoll(Root root, Stat top, PollingScan scan) {
        Snapshot tree = root.tree;
        Stat oldTop = tree.topStat();
        boolean topMoved = !java.util.Objects.equals(oldTop, top);
        List<PollingScan.NodeEdit> edits = scan.edits;
        if (edits.isEmpty() && scan.changes.isEmpty() && !topMoved) {
            return true;
        }
        if (!live()) {
            return false;
        }
        synchronized (lock) {
            FluxSink<SourceEvent> s = sink;
            if (s == null || s.isCancelled()) {
                return false;
            }
            tree.setTopStat(top);
            for (PollingScan.NodeEdit e : edits) {
                tree.setNode(e.dir(), e.after());
            }
            emit(s, null, scan.changes);
            if (s.isCancelled()) {
                // As in apply: some events may have been dropped, so the tree goes back to before all of them.
                for (int k = edits.size() - 1; k >= 0; k--) {
                    tree.setNode(edits.get(k).dir(), edits.get(k).before());
                }
                tree.setTopStat(oldTop);
                return false;
            }
            for (PollingScan.NodeEdit e : edits) {
                root.count += entries(e.after()) - entries(e.before());
                root.dirs += dirEntries(e.after()) - dirEntries(e.before());
            }
            if (checkpointed) {
                if (topMoved) {
                    root.changed.add(root.path);
                }
                for (PollingScan.NodeEdit e : edits) {
                    if (e.dir().equals(root.path) && unreadable(e.before()) != unreadable(e.after())) {
                        root.changed.add(root.path);
                    }
                    SnapshotDiff.changedEntries(e.dir(), e.before(), e.after(), root.changed);
                }
            }
        }
        updateTracked();
        return true;
    }

    private static long entries(DirNode node) {
        return node == null ? 0 : node.size();
    }

    private static long dirEntries(DirNode node) {
        long n = 0;
        for (int i = 0, size = node == null ? 0 : node.size(); i < size; i++) {
            if (node.type(i) == Stat.DIR) {
                n++;
            }
        }
        return n;
    }

    private static boolean unreadable(DirNode node) {
        return node != null && node.isUnreadable();
    }

    /** What {@link #apply} did: how many changes it found, and which directories left the tree. */
    record Applied(int changes, Set<Path> goneDirs) {
        static final Applied NOTHING = new Applied(0, Set.of());
    }

    private void emit(FluxSink<SourceEvent> s, SourceEvent marker, List<Change> changes) {
        if (marker != null) {
            s.next(marker);
        }
        for (Change c : changes) {
            if (reported(c)) {
                s.next(c);
            }
        }
    }

    /** Directories are reported unless include globs or extensions narrow the source to files. */
    private boolean reported(Change c) {
        return c.type() != EntryType.DIR || cfg.filter().reportsDirectories();
    }

    final void updateTracked() {
        long n = 0;
        long d = 0;
        for (Root r : roots) {
            n += r.count;
            d += r.dirs;
        }
        trackedDirs = d;
        tracked = n - d;
    }

    // ------------------------------------------------------------------ root identity

    /**
     * Why a root's path no longer holds the directory tracked there, or {@code null} when it still does. The
     * directory is identified by its file key: a root moved or renamed away, deleted, or replaced by a file
     * or by another directory (a different file key, such as one renamed into its place) is lost. Without
     * file keys (a platform that has none) only a missing path or a file tells. For a file root, the same of
     * its directory. One stat; worker thread.
     */
    final String rootChange(Root root) {
        Stat now;
        try {
            now = Stat.of(root.dir, cfg.followSymlinks());
        } catch (IOException e) {
            return "cannot be read: " + describe(e);
        }
        return rootChange(root.file ? root.dirStat : root.tree.topStat(), now);
    }

    /**
     * Whether a file root's directory is a directory (again), which it then tracks as the root's identity.
     * Worker thread, or the caller of {@link #open()}.
     */
    final boolean holdsDirectory(Root root) {
        Stat now;
        try {
            now = Stat.of(root.dir, cfg.followSymlinks());
        } catch (IOException e) {
            return false;
        }
        if (now == null || !now.isDir()) {
            return false;
        }
        root.dirStat = now;
        return true;
    }

    /** {@link #rootChange(Root)} for a stat already taken ({@code null}: nothing there). */
    static String rootChange(Stat tracked, Stat now) {
        if (now == null) {
            return "removed, moved or renamed";
        }
        if (!now.isDir()) {
            return "replaced by a file";
        }
        if (tracked != null && tracked.key() != 0 && now.key() != 0 && tracked.key() != now.key()) {
            return "replaced by another directory";
        }
        return null;
    }

    /**
     * Handles a root whose path no longer holds its directory (a file root: whose directory is gone or another
     * one) like a deleted root: everything tracked under it (or the file) is reported deleted with a rescan
     * marker, and the error stays in {@link #describe()} until {@link #rootBack} (a directory is at the path
     * again, walked and reported created). Worker thread, or the caller of {@link #open()}, where nothing is
     * emitted yet.
     */
    final Applied rootLost(Root root, String cause) {
        root.missing = true;
        root.lostMessage = "watch root deleted: " + shown(root.path) + " ("
                + (root.file ? "its directory " + root.dir + " " : "") + cause + "); waiting for a directory there";
        reportError(root.lostMessage);
        String reason = cause.startsWith("replaced") ? "root replaced" : "root deleted";
        return apply(root, Snapshot.absent(root.path), new Rescan(root.path, reason));
    }

    /** A lost root is a directory again: its error goes. The caller walks and applies the new tree. */
    final void rootBack(Root root) {
        root.missing = false;
        if (root.lostMessage != null) {
            clearError(root.lostMessage);
            root.lostMessage = null;
        }
    }

    // ------------------------------------------------------------------ errors and status

    final void reportError(String message) {
        String before = error;
        error = message; // first: a status read while the warning is logged already shows it
        if (!message.equals(before)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    final void clearError(String message) {
        if (message.equals(error)) {
            error = null;
        }
    }

    private void readFailed(Path path, IOException e) {
        reportError("cannot read " + shown(path) + ": " + describe(e));
    }

    /** A path as the source reports it (under the root as given), for messages. */
    final Path shown(Path path) {
        return cfg.names().shown(path);
    }

    static String describe(IOException e) {
        String reason = e.getClass().getSimpleName();
        if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        } else if (e.getMessage() != null) {
            reason = e.getMessage();
        }
        return reason;
    }

    /** Lock-free: the daemon asks from any thread. */
    final SourceDescription describe() {
        return new SourceDescription(rootNames, backend.wireName(), error, tracked,
                backend == Backend.POLLING ? cfg.scanInterval() : null, trackedDirs);
    }

    // ------------------------------------------------------------------ persisted section

    /**
     * Compares the trees just walked with the section {@link #checkpoint()} wrote last time, with the
     * increments {@link #checkpointChanges()} wrote after it replayed over it. Before the
     * worker starts, on the caller of {@link FileSource#open}.
     *
     * @return what changed meanwhile, under the roots both runs watched
     * @throws IllegalArgumentException if the section is not in a format this version reads
     */
    final List<SourceEvent> restore(String persisted, List<String> changes) {
        Map<Path, Snapshot> before = SnapshotCodec.decode(persisted, changes);
        List<SourceEvent> out = new ArrayList<>();
        synchronized (lock) {
            for (Root root : roots) {
                Snapshot old = before.get(root.path);
                if (old == null) {
                    continue; // a root the last run did not watch: nothing to compare with
                }
                if (hasher != null) {
                    root.tree.fillHashes(old, hasher); // the worker has not started: this thread owns the tree
                }
                for (Change c : SnapshotDiff.diff(old, root.tree)) {
                    if (reported(c)) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Everything tracked, reported as created: the start-up changes when the daemon's state was lost and what
     * changed meanwhile cannot be known. Call after {@link #open()}, before the worker starts.
     */
    final List<SourceEvent> everything() {
        List<SourceEvent> out = new ArrayList<>();
        synchronized (lock) {
            for (Root root : roots) {
                for (Change c : SnapshotDiff.diff(Snapshot.absent(root.path), root.tree)) {
                    if (reported(c) && (root.file || !c.path().equals(root.path))) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    /** What each path is in the tracked trees now: modified if it is there, deleted if not. Any thread. */
    final List<Change> truthOf(List<Path> paths) {
        List<Change> out = new ArrayList<>();
        synchronized (lock) {
            for (Path path : paths) {
                Root root = rootOf(path);
                Stat stat = root == null || root.missing ? null : root.tree.get(path);
                out.add(stat == null ? new Change(path, ChangeKind.DELETED, EntryType.FILE)
                        : new Change(path, ChangeKind.MODIFIED, stat.entryType()));
            }
        }
        return out;
    }

    /**
     * The tracked trees as the persisted section: never ahead of what was emitted, since the worker moves a
     * tree and emits its events under the same lock. Any thread.
     */
    final String checkpoint() {
        JsonNode section;
        synchronized (lock) {
            checkpointed = true;
            List<TreeView> trees = new ArrayList<>();
            for (Root r : roots) {
                trees.add(r.tree);
                r.changed.clear();
            }
            section = SnapshotCodec.encodeTree(trees);
        }
        return SnapshotCodec.write(section);
    }

    /** For tests: how many changed paths are kept for the next increment. */
    final int recordedForIncrement() {
        synchronized (lock) {
            int n = 0;
            for (Root r : roots) {
                n += r.changed.size();
            }
            return n;
        }
    }

    /**
     * The entries that changed since the last {@link #checkpoint()} or call of this, as an incremental
     * section ({@code ""} when none did): proportional to what changed, not to the trees. Never ahead of what
     * was emitted, like the full one. Any thread.
     *
     * @return the increment, or {@code null} before the first full {@link #checkpoint()}: nothing was recorded
     *         then, so only a full section can say what the trees are
     */
    final @Nullable String checkpointChanges() {
        synchronized (lock) {
            if (!checkpointed) {
                return null;
            }
            Map<TreeView, Set<Path>> changed = new LinkedHashMap<>();
            for (Root r : roots) {
                if (!r.changed.isEmpty()) {
                    changed.put(r.tree, r.changed);
                }
            }
            String section = SnapshotCodec.encodeChanges(changed);
            for (Root r : roots) {
                r.changed.clear();
            }
            return section;
        }
    }
}
