package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.SourceDescription;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.SourceState;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import tools.jackson.databind.JsonNode;

/**
 * What both backends share: the tracked snapshot per root, the one lock that makes "update the snapshot and
 * emit the change" atomic with respect to {@link #snapshot()}, the worker thread, the persisted section and
 * the lock-free status description.
 *
 * <p>Threads: {@link #open()} runs on the caller of {@code WatchDaemon.start()}; after subscription, one
 * worker thread owns the roots' trees and is the only writer; it writes under {@link #lock}, and readers on
 * other threads ({@link #snapshot()}, {@link #restore}) read under it. {@link #describe()} and
 * {@link #cancel()} take no lock: the daemon calls them while holding its own.
 */
abstract class TreeWatcher implements SourceState {

    static final System.Logger LOG = System.getLogger(TreeWatcher.class.getName());

    final WatcherConfig cfg;
    final GitIgnores git = new GitIgnores();
    final List<Root> roots = new ArrayList<>();
    final ContentHasher hasher;
    final Object lock = new Object();

    private final Backend backend;
    private final List<String> rootNames;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private volatile FluxSink<SourceEvent> sink;
    private volatile boolean cancelled;
    private volatile String error;
    private volatile long tracked;
    private volatile Thread worker;

    /** One watch root and its tracked tree. Written only by the worker (or by open() before it starts). */
    static final class Root {
        final Path path;
        final Scanner scanner;
        Snapshot tree;
        long count;
        boolean missing;

        Root(Path path, Scanner scanner) {
            this.path = path;
            this.scanner = scanner;
            this.tree = Snapshot.absent(path);
        }
    }

    TreeWatcher(WatcherConfig cfg, Backend backend) {
        this.cfg = cfg;
        this.backend = backend;
        this.hasher = cfg.contentDedupe() ? ContentHasher.sha256() : null;
        List<String> names = new ArrayList<>();
        for (Path root : cfg.roots()) {
            roots.add(new Root(root, new Scanner(root, cfg.filter(), git, cfg.vcsIgnore(), cfg.followSymlinks(),
                    this::readFailed)));
            names.add(root.toString());
        }
        this.rootNames = List.copyOf(names);
    }

    /** Builds the initial snapshot (registering watches for the native backend). Blocking; caller's thread. */
    abstract void open() throws IOException;

    /** The worker loop; returns once {@link #cancelled()}. */
    abstract void work() throws Exception;

    /** Releases what the worker waits on so it ends promptly. Any thread; must not block or take the lock. */
    abstract void release();

    final Backend backend() {
        return backend;
    }

    /**
     * The source's events. Subscribing starts the worker thread; cancelling stops it and releases the
     * watch service. Subscribe once.
     */
    final Flux<SourceEvent> events() {
        return Flux.create(s -> {
            if (!subscribed.compareAndSet(false, true)) {
                s.error(new IllegalStateException("a filesystem source can be subscribed once"));
                return;
            }
            sink = s;
            s.onDispose(this::cancel);
            Thread t = new Thread(this::workerMain, "reactive-watch-" + backend.wireName());
            t.setDaemon(true);
            worker = t;
            t.start();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** Whether the worker thread is running (for tests: it must end on cancel). */
    final boolean workerAlive() {
        Thread t = worker;
        return t != null && t.isAlive();
    }

    final void cancel() {
        cancelled = true;
        release();
    }

    final boolean cancelled() {
        return cancelled;
    }

    /** Cancels and waits for the worker thread to end. */
    final void close(Duration wait) {
        cancel();
        Thread t = worker;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Math.max(1, wait.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        }
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
        boolean inner = !fresh.top().equals(root.path);
        long before = old.count() + (inner && old.present() ? 1 : 0);
        long after = fresh.count() + (inner && fresh.present() ? 1 : 0);
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
        }
        updateTracked();
        return new Applied(changes.size(), gone);
    }

    /** What {@link #apply} did: how many changes it found, and which directories left the tree. */
    record Applied(int changes, Set<Path> goneDirs) {
        static final Applied NOTHING = new Applied(0, Set.of());
    }

    private void emit(FluxSink<SourceEvent> s, SourceEvent marker, List<Change> changes) {
        if (marker != null) {
            s.next(marker);
        }
        boolean dirs = cfg.filter().reportsDirectories();
        for (Change c : changes) {
            if (dirs || c.type() != EntryType.DIR) {
                s.next(c);
            }
        }
    }

    final void updateTracked() {
        long n = 0;
        for (Root r : roots) {
            n += r.count;
        }
        tracked = n;
    }

    // ------------------------------------------------------------------ errors and status

    final void reportError(String message) {
        if (!message.equals(error)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
        error = message;
    }

    final void clearError(String message) {
        if (message.equals(error)) {
            error = null;
        }
    }

    private void readFailed(Path path, IOException e) {
        reportError("cannot read " + path + ": " + describe(e));
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

    /** Lock-free: the daemon asks from any thread, sometimes while holding its own lock. */
    final SourceDescription describe() {
        return new SourceDescription(rootNames, backend.wireName(), error, tracked);
    }

    // ------------------------------------------------------------------ persisted section

    @Override
    public final List<SourceEvent> restore(JsonNode persisted) {
        if (persisted == null || persisted.isNull() || persisted.isMissingNode()) {
            return List.of();
        }
        Map<Path, Snapshot> before = SnapshotCodec.decode(persisted);
        List<SourceEvent> out = new ArrayList<>();
        boolean dirs = cfg.filter().reportsDirectories();
        synchronized (lock) {
            for (Root root : roots) {
                Snapshot old = before.get(root.path);
                if (old == null) {
                    continue; // a root the last run did not watch: nothing to compare with
                }
                if (hasher != null) {
                    root.tree.fillHashes(old, hasher); // before the worker starts: this thread owns the tree
                }
                for (Change c : SnapshotDiff.diff(old, root.tree)) {
                    if (dirs || c.type() != EntryType.DIR) {
                        out.add(c);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public final JsonNode snapshot() {
        synchronized (lock) {
            List<TreeView> trees = new ArrayList<>();
            for (Root r : roots) {
                trees.add(r.tree);
            }
            return SnapshotCodec.encode(trees);
        }
    }
}
