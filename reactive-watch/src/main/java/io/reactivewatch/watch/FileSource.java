package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeSource;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceDescription;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Directory trees, and single files, as a source of verified changes: the {@link ChangeSource} that plugs the
 * filesystem into a {@link ReconcileDaemon}, or, on its own, a plain {@code Flux} of changes.
 *
 * <pre>{@code
 * FileSource sources = FileSource.builder()
 *         .root(Path.of("src"))
 *         .extensions(List.of("java"))
 *         .build();
 * ReconcileDaemon<Void> daemon = ReconcileDaemon.builder((Tick tick) -> reindex(tick.changes()))
 *         .source(sources)
 *         .settle(Duration.ofMillis(300), Duration.ofSeconds(5))
 *         .stateStore(StateStore.file(Path.of(".rwatch/state.json")))
 *         .build();
 * daemon.start();
 * ...
 * daemon.close();
 * }</pre>
 * This builder holds the filesystem options only (roots, backend, scan interval, filters); every option of
 * the daemon (coalescing, busy policy, budget, timeouts, retry, state store, schedulers) is set on
 * {@link ReconcileDaemon.Builder}.
 *
 * <h2>What it reports</h2>
 * Absolute, normalized paths under their root as it was given: a root that is (or passes through) a symbolic
 * link is watched at its real path, but reported under the link, so {@code link/a.txt}, never
 * {@code real/a.txt} (events, start-up changes, {@link #currentTruth}, {@link #describe()} and {@link #roots()}
 * alike; the link is resolved once, when the source opens). Each change is {@code created}, {@code modified}
 * or {@code deleted}, as a file or a directory.
 * Filesystem events are only hints: every path is checked against a tracked snapshot (size, mtime in
 * nanoseconds, file key, optionally a content hash), so repeated events collapse, an atomic save (a
 * temporary file renamed over the target) is one {@code modified}, and a new directory is reported with
 * everything already inside it. A deleted directory reports its tracked descendants as deleted. When the
 * platform drops events (overflow), the affected subtree is rescanned and the difference delivered with a
 * {@link Rescan} marker ({@link io.reactivewatch.core.ChangeSet#rescan()}). A root is the directory that was
 * at its path when the source opened, identified by its file key: one deleted, moved or renamed away, or
 * replaced (by a file, or by another directory, which has another file key) is lost. Its tracked contents are
 * reported deleted with a rescan marker, {@link #describe()} names it in {@code backendError}
 * ({@code "watch root deleted: PATH (…)"}) while it is lost, and once a directory is at the path again that
 * one is watched and its contents reported created; what happens to a directory that moved away is never
 * reported. Directories that
 * cannot be watched (permissions, the inotify watch limit) are polled instead and named in
 * {@link io.reactivewatch.core.DaemonStatus#backendError()}. Directories themselves are reported created and
 * deleted, never modified; with {@link Builder#include include} globs or {@link Builder#extensions extensions}
 * set, only files are reported. With a state store, what changed while the daemon was down is reported in its
 * {@link Trigger#STARTUP} tick.
 *
 * <h2>A file as a root</h2>
 * A root that is a regular file (or a symbolic link to one) is watched alone: its directory is watched for
 * that name only, never walked, and nothing under it is watched (a root {@code ~/.bashrc} costs one watch,
 * not the home directory). The file is reported under the root as given, as {@code created}, {@code modified}
 * or {@code deleted}: an atomic save of it is one {@code modified}; deleted and written again it is deleted,
 * then created (which a daemon nets per tick); a directory at its path is not the file, so the file is
 * deleted. Its directory is the root's identity: that directory deleted, moved or renamed away, or replaced,
 * makes the root lost like a directory root (the file reported deleted with a rescan marker,
 * {@code backendError} naming the root) until a directory is at that path again, and the file in it, if
 * any, is reported created. The filters (include, exclude, extensions, {@code .gitignore}) choose among what
 * is under directory roots; a file root is always tracked. A file root may sit next to directory roots, not
 * inside one ({@link Builder#build()}).
 *
 * <h2>What it ignores</h2>
 * {@code .git}, {@code .hg} and {@code .svn} directories; editor swap, backup, lock and probe files
 * ({@code .x.swp}, {@code x~}, {@code .#x}, {@code #x#}, JetBrains' {@code ___jb_tmp___}); sync cookie files
 * ({@code .rwatch-cookie-<digits>-<digits>}, see {@link #sync()}), whichever process wrote them;
 * the daemon's own files (its state file, their temporary and set-aside copies:
 * {@link SourceContext#isDaemonFile}); whatever {@code .gitignore} files and {@code .git/info/exclude}
 * ignore (unless {@link Builder#vcsIgnore vcsIgnore(false)}); and the {@link Builder#exclude exclude} globs.
 * An ignored directory is not watched or walked at all.
 *
 * <h2>Version-control operations</h2>
 * Inside a daemon, while the repository of a root (the root or its nearest ancestor with {@code .git} or
 * {@code .hg}) shows a git or Mercurial operation in progress, such as a checkout or a rebase stopped on a
 * conflict, the source holds the daemon's ticks ({@link SourceContext#hold}); changes keep merging, and one
 * tick follows once the operation ends. See {@link Builder#deferVcs} and {@link Builder#vcsLockTimeout}.
 *
 * <h2>Life</h2>
 * A source runs once. Inside a daemon, the daemon drives it: {@link #open} from
 * {@link ReconcileDaemon#start()} (checks the roots, walks and watches the trees, compares them with the
 * persisted snapshot), {@link #events()} right after, {@link #checkpoint()} whenever it persists,
 * {@link #close()} after it stopped. On its own, subscribing to {@link #events()} opens it and cancelling
 * closes it; no daemon is needed.
 *
 * <h2>Threads</h2>
 * Filesystem work runs on one dedicated thread per source (plus a short-lived pool for the start-up walk).
 * Inside a daemon, that thread only merges each change into the daemon's pending set; the reconciler runs on
 * the daemon's scheduler. On its own, the source delivers its events on a {@code Schedulers.boundedElastic()}
 * thread, never on its filesystem thread and never under its lock.
 */
public final class FileSource implements ChangeSource {

    private static final System.Logger LOG = System.getLogger(FileSource.class.getName());
    /** How long {@link #close()} waits for the filesystem thread to end. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Backend backend;
    private final Duration scanInterval;
    private final Duration scanBackoff;
    private final List<String> includes;
    private final List<String> excludes;
    private final Set<String> extensions;
    private final boolean vcsIgnore;
    private final boolean followSymlinks;
    private final boolean contentDedupe;
    private final boolean reuseListings;
    private final boolean deferVcs;
    private final Duration vcsLockTimeout;
    /** {@code null} for {@code boundedElastic}, looked up only when needed: Reactor's start-up logs through SLF4J. */
    private final @Nullable Scheduler vcsTimer;
    private final TestHooks hooks;

    /**
     * Orders open, subscription and close; held only for those state changes (never for the walk, nor by
     * {@link #describe()} or {@link #checkpoint()}).
     */
    private final Object stateLock = new Object();
    /** As given: absolute and normalized, symbolic links kept. */
    private volatile List<Path> roots;
    /** The roots as given and as watched (real paths); set by {@link #open}. */
    private volatile RootNames rootNames;
    private volatile TreeWatcher watcher;
    private boolean opened;
    private boolean subscribed;
    private boolean closed;

    private FileSource(Builder b, List<Path> roots, TestHooks hooks) {
        this.roots = roots;
        this.backend = b.backend;
        this.scanInterval = b.scanInterval;
        this.scanBackoff = b.scanBackoff;
        this.includes = List.copyOf(b.includes);
        this.excludes = List.copyOf(b.excludes);
        this.extensions = Set.copyOf(b.extensions);
        this.vcsIgnore = b.vcsIgnore;
        this.followSymlinks = b.followSymlinks;
        this.reuseListings = b.reuseListings;
        this.contentDedupe = b.contentDedupe;
        this.deferVcs = b.deferVcs;
        this.vcsLockTimeout = b.vcsLockTimeout;
        this.vcsTimer = b.vcsTimer;
        this.hooks = hooks;
    }

    /**
     * Starts configuring a source.
     *
     * @return a builder with the defaults listed on each setter
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Checks the roots, then walks every tree (registering a watch on every directory first, for the native
     * backend, so nothing created during the walk is missed), then compares the trees with the snapshot the
     * last run persisted, if the context holds one. Blocks for the walk (well under a second for 50,000
     * files on a local disk). A daemon calls this from its {@code start()}; a source opens once.
     *
     * @param context the persisted section, if any, and which files are the daemon's own (never reported)
     * @return what was created, modified or deleted under the roots while nothing watched them; a
     *         {@link Rescan} marker per root and everything that exists as created instead when the persisted
     *         section is in a format this version cannot read, or when the daemon resumed a state that holds
     *         no section ({@link SourceContext#resumed()}), each with a warning in the log; everything as
     *         created when the daemon's state was lost ({@link SourceContext#stateLost()}); empty on a first
     *         start
     * @throws NullPointerException     if {@code context} is {@code null}
     * @throws IllegalArgumentException if a root does not exist ({@code "watch root does not exist: PATH"}), is
     *                                  neither a directory nor a regular file, is a directory that cannot be
     *                                  read ({@code "watch root is not a readable directory: PATH"}), or is a
     *                                  file that is one of the daemon's own (its state file)
     * @throws IllegalStateException    if the walk failed ({@code "cannot start the native filesystem
     *                                  watcher: …"}), or the source was opened or closed before
     */
    @Override
    public List<SourceEvent> open(SourceContext context) {
        Objects.requireNonNull(context, "context must not be null");
        synchronized (stateLock) {
            if (closed) {
                throw new IllegalStateException("FileSource was closed; a source runs once, build a new one");
            }
            if (opened) {
                throw new IllegalStateException("FileSource already opened; a source runs once, build a new one");
            }
            opened = true;
        }
        // The walk runs outside the lock: it calls the context's daemon-file test, which may be user code.
        Opened result;
        try {
            result = openNow(context);
        } catch (RuntimeException | Error e) {
            synchronized (stateLock) {
                closed = true;
            }
            throw e;
        }
        boolean closedMeanwhile;
        synchronized (stateLock) {
            closedMeanwhile = closed;
            if (!closedMeanwhile) {
                watcher = result.watcher();
            }
        }
        if (closedMeanwhile) {
            result.watcher().close(Duration.ofSeconds(1));
            throw new ClosedWhileOpening();
        }
        return result.startup();
    }

    /** {@link #close()} came while {@link #open} walked; the walk's watcher is closed again. */
    private static final class ClosedWhileOpening extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ClosedWhileOpening() {
            super("FileSource was closed while it opened");
        }
    }

    /** An open watcher and what changed while nothing watched. */
    private record Opened(TreeWatcher watcher, List<SourceEvent> startup) {
    }

    private Opened openNow(SourceContext context) {
        // The trees are watched under the real paths; everything the source reports is under the roots as given.
        List<Path> shown = new ArrayList<>();
        List<Path> real = new ArrayList<>();
        Set<Path> files = new HashSet<>();
        Predicate<Path> daemonFiles = context == SourceContext.none() ? p -> false : context::isDaemonFile;
        for (Path root : roots) {
            Checked checked = checkRoot(root);
            Path r = checked.real();
            if (checked.file()) {
                if (daemonFiles.test(r) || daemonFiles.test(root)) {
                    // Each write of the state would be a change, and each change a write: a tick per tick.
                    throw new IllegalArgumentException("watch root is one of the daemon's own files: " + root);
                }
                files.add(r);
            }
            if (!real.contains(r)) { // two names of one directory or file: the first one is the root
                real.add(r);
                shown.add(root);
            }
        }
        roots = List.copyOf(shown);
        RootNames n = new RootNames(real, shown);
        rootNames = n;
        WatcherConfig cfg = new WatcherConfig(real, scanInterval, scanBackoff,
                new PathFilter(includes, excludes, extensions, daemonFiles), vcsIgnore, followSymlinks,
                contentDedupe, hooks, n, files, reuseListings);
        TreeWatcher w = backend == Backend.NATIVE ? new NativeWatcher(cfg) : new PollingWatcher(cfg);
        if (deferVcs && context != SourceContext.none()) { // on its own, a source has no daemon to hold
            w.vcs = new VcsDeferral(VcsRepository.find(real), context::hold, vcsLockTimeout, VcsDeferral.LINGER,
                    vcsTimer != null ? vcsTimer : Schedulers.boundedElastic(), w::reportError, w::clearError);
        }
        List<SourceEvent> startup;
        try {
            try {
                w.open();
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot start the " + backend.wireName() + " filesystem watcher: "
                        + e.getMessage(), e);
            }
            if (context.stateLost()) {
                startup = w.everything();
            } else if (context.persisted().isPresent()) {
                startup = restore(w, context.persisted().get(), context.persistedChanges());
            } else if (context.resumed()) {
                // The daemon's state came back without our section, which every state it writes with this
                // source holds: taking the disk as the baseline now would report nothing that changed while down.
                startup = rescanAll(w, "persisted state holds no section of the file source");
            } else {
                startup = List.of(); // a first start: what exists now is the baseline
            }
        } catch (RuntimeException | Error e) {
            w.close(Duration.ofSeconds(1)); // the watch service is a kernel resource: never leak it
            throw e;
        }
        return new Opened(w, n.shown(startup));
    }

    /** A root that exists: its real path, and whether it is a file. */
    private record Checked(Path real, boolean file) {
    }

    /** A root that is a readable directory or a regular file (symbolic links followed), or why not. */
    private static Checked checkRoot(Path root) {
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("watch root does not exist: " + root);
        }
        boolean dir = Files.isDirectory(root);
        if (!dir && !Files.isRegularFile(root)) {
            throw new IllegalArgumentException("watch root is neither a directory nor a regular file: " + root);
        }
        if (dir && !Files.isReadable(root)) {
            throw new IllegalArgumentException("watch root is not a readable directory: " + root);
        }
        try {
            return new Checked(root.toRealPath(), !dir);
        } catch (IOException e) {
            throw new IllegalArgumentException((dir ? "watch root is not a readable directory: "
                    : "watch root cannot be read: ") + root, e);
        }
    }

    /** The startup diff; a section this version cannot read makes every root a rescan instead. */
    private List<SourceEvent> restore(TreeWatcher w, String section, List<String> changes) {
        try {
            return w.restore(section, changes);
        } catch (IllegalArgumentException e) {
            return rescanAll(w, "persisted snapshot unusable (" + e.getMessage() + ")");
        }
    }

    /**
     * A warning, a {@link Rescan} marker per root and everything that exists as created: what changed while down
     * cannot be known, so the rescan tick tells the whole truth (what was deleted meanwhile is not invented).
     */
    private List<SourceEvent> rescanAll(TreeWatcher w, String reason) {
        LOG.log(System.Logger.Level.WARNING, reason + "; rescanning " + roots);
        // Under the watched paths, like what the watcher returns: openNow shows them all as given.
        List<SourceEvent> rescans = new ArrayList<>();
        for (Path root : w.cfg.roots()) {
            rescans.add(new Rescan(root, reason));
        }
        rescans.addAll(w.everything());
        return rescans;
    }

    /**
     * The changes, as they are found. Subscribe once.
     *
     * <p>After {@link #open} (a daemon's subscription): the filesystem thread starts at subscription and
     * emits each change atomically with the snapshot {@link #checkpoint()} returns, so that a persisted
     * snapshot never claims a change its subscriber was not handed; the subscriber must only hand events on
     * (the daemon merges them into its pending set). Cancelling ends the thread without blocking;
     * {@link #close()} then releases the watch service.
     *
     * <p>Without {@code open} (the source on its own, no daemon): subscribing opens the source on a
     * {@code Schedulers.boundedElastic()} thread (the walk blocks) with no persisted section, events are
     * delivered on a {@code boundedElastic} thread, and cancelling (or an error) closes the source. A root
     * that is missing makes the flux fail with the {@link IllegalArgumentException} {@link #open} throws.
     *
     * @return a flux of {@link io.reactivewatch.core.Change}s and {@link Rescan} markers; it never completes
     *         on its own, and fails if the filesystem thread does
     */
    @Override
    public Flux<SourceEvent> events() {
        return Flux.defer(() -> {
            TreeWatcher w;
            synchronized (stateLock) {
                if (subscribed) {
                    return Flux.error(new IllegalStateException("a FileSource can be subscribed once"));
                }
                subscribed = true;
                if (closed) {
                    return Flux.error(new IllegalStateException("FileSource was closed; build a new one"));
                }
                w = watcher;
            }
            return w != null ? shown(w.events()) : standalone();
        });
    }

    /** The watcher's events under the roots as given: a synchronous map, still inside the watcher's emit. */
    private Flux<SourceEvent> shown(Flux<SourceEvent> events) {
        RootNames n = rootNames;
        return n.translates() ? events.map(n::shown) : events;
    }

    /** Opens off the subscriber's thread, delivers off the filesystem thread, closes when it ends. */
    private Flux<SourceEvent> standalone() {
        return Mono.fromCallable(this::openAlone)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(w -> shown(w.events()).publishOn(Schedulers.boundedElastic()))
                .doFinally(signal -> Schedulers.boundedElastic().schedule(this::close));
    }

    /** Opens with no persisted section; {@code null} (nothing to watch) when cancelled meanwhile. */
    private TreeWatcher openAlone() {
        try {
            open(SourceContext.none());
        } catch (ClosedWhileOpening e) {
            return null; // the subscriber cancelled during the walk: nobody is there to tell
        }
        return watcher;
    }

    /**
     * {@link Trigger#WATCH} for the native backend, {@link Trigger#POLL} for the polling one.
     *
     * @return the trigger of this source's changes
     */
    @Override
    public Trigger trigger() {
        return backend == Backend.NATIVE ? Trigger.WATCH : Trigger.POLL;
    }

    /**
     * Completes once every change made under the roots before this call has been emitted from
     * {@link #events()}: inside a daemon, merged into its pending set, so the {@link ReconcileDaemon#tickNow()}
     * that follows includes it. The daemon calls this from {@code sync()} and {@code tickNow()}.
     *
     * <p>Native backend: an empty cookie file, {@code .rwatch-cookie-<pid>-<counter>}, is created in each
     * watched root, and the sync completes once the source's own filesystem thread has seen every cookie's
     * event and then taken and processed every event queued at that point; subtrees polled because they
     * could not be watched, and roots that are lost, are scanned before it completes. A cookie is never
     * reported, tracked or persisted (any file of that name pattern is ignored), and is deleted before the
     * sync completes, or, when the sync is cancelled, on a {@code boundedElastic} thread. A root where the
     * cookie cannot be written (a read-only filesystem) is logged once and gets a weaker guarantee: the sync
     * waits only until the events the watcher had already queued were processed. Polling backend: the sync
     * starts a scan of every root now, without waiting for the scan interval, and completes after it.
     *
     * <p>Nothing blocks on the caller's thread (it may be a non-blocking Reactor thread): cookies are written
     * on a {@code boundedElastic} thread, and the completion is delivered on one, never on the filesystem
     * thread. On its own (no daemon), "emitted" means handed to the delivery thread of {@link #events()}; the
     * subscriber sees it right after. This {@code Mono} has no timeout of its own: the daemon bounds it with
     * its {@code syncTimeout} and cancels it then.
     *
     * @return a {@code Mono} that completes as described; completes at once before the source opened (what
     *         exists when it opens is its starting point, not a change); fails with
     *         {@link IllegalStateException} once the source is closed or its filesystem thread stopped
     */
    @Override
    public Mono<Void> sync() {
        return Mono.defer(() -> {
            TreeWatcher w;
            boolean isClosed;
            synchronized (stateLock) {
                w = watcher;
                isClosed = closed;
            }
            if (w == null) {
                return isClosed ? Mono.error(new IllegalStateException("FileSource was closed; build a new one"))
                        : Mono.empty();
            }
            return w.sync();
        });
    }

    /**
     * The tracked snapshots as compact, versioned JSON text, which {@link #open} of a later source with the
     * same roots compares against. Never ahead of what {@link #events()} emitted. Called by the daemon when it
     * persists; may be called from any thread.
     *
     * @return the section, or {@code null} before the source opened
     */
    /**
     * What the given paths are on disk now, from the tree {@link #open} walked: {@code modified} (with its
     * entry type) for a path that exists, {@code deleted} for one that does not. The daemon asks this at start
     * for the paths of the tick that was running when it last persisted, whose delivery is uncertain, and of
     * the changes that were pending then, which may be newer than the persisted snapshot.
     *
     * @param paths absolute paths under the roots
     * @return one change per path, or {@code null} before the source opened
     */
    @Override
    public @Nullable List<Change> currentTruth(List<Path> paths) {
        TreeWatcher w = watcher;
        if (w == null) {
            return null;
        }
        RootNames n = rootNames;
        if (!n.translates()) {
            return w.truthOf(paths);
        }
        List<Path> watched = new ArrayList<>(paths.size());
        paths.forEach(p -> watched.add(n.watched(p)));
        List<Change> truth = w.truthOf(watched);
        List<Change> out = new ArrayList<>(truth.size());
        for (int i = 0; i < truth.size(); i++) {
            Change c = truth.get(i);
            out.add(new Change(paths.get(i), c.kind(), c.type())); // each under the path it was asked for
        }
        return out;
    }

    @Override
    public @Nullable String checkpoint() {
        TreeWatcher w = watcher;
        return w == null ? null : w.checkpoint();
    }

    /**
     * The tracked entries that changed since the last {@link #checkpoint()} or call of this: what a
     * journaling state store appends per tick, proportional to the changes rather than to the tree. Changed
     * entries are recorded only from the first {@link #checkpoint()} on, so a source whose daemon persists
     * nothing keeps nothing per change.
     *
     * @return the changes ({@code ""} when none), or {@code null} before {@link #open} or before the first
     *         {@link #checkpoint()} (nothing recorded: only a full section can tell)
     */
    @Override
    public @Nullable String checkpointChanges() {
        TreeWatcher w = watcher;
        return w == null ? null : w.checkpointChanges();
    }

    /**
     * What the daemon's status shows: {@code watchPaths} the roots, {@code backend} {@code native} or
     * {@code polling}, {@code trackedFiles} how many paths the snapshot holds, {@code backendError} the last
     * registration or I/O problem (or a root that is lost: deleted, moved or replaced), {@code scanInterval} the polling backend's scan
     * interval ({@code null} for the native backend). Lock-free; any thread.
     *
     * @return the description now
     */
    @Override
    public SourceDescription describe() {
        TreeWatcher w = watcher;
        if (w != null) {
            return w.describe();
        }
        List<String> names = new ArrayList<>();
        roots.forEach(r -> names.add(r.toString()));
        return new SourceDescription(names, backend.wireName(), null, 0,
                backend == Backend.POLLING ? scanInterval : null);
    }

    /**
     * Ends the filesystem thread (waiting up to five seconds for it), releases the watch service, and keeps
     * the source from opening later (an {@link #open} still walking releases what it opened when it ends, and
     * fails). Idempotent. The daemon calls it after it stopped; on its own, the source
     * closes when its events are cancelled.
     */
    @Override
    public void close() {
        TreeWatcher w;
        synchronized (stateLock) {
            closed = true;
            w = watcher;
        }
        if (w != null) {
            w.close(CLOSE_WAIT);
        }
    }

    /**
     * The roots as given, absolute and normalized, with symbolic links kept (not resolved): the paths every
     * change is reported under.
     *
     * @return an unmodifiable list
     */
    public List<Path> roots() {
        return roots;
    }

    /** The backend this source uses. */
    Backend backend() {
        return backend;
    }

    /** The open watcher, for tests in this package; {@code null} before {@link #open}. */
    TreeWatcher watcher() {
        return watcher;
    }

    /**
     * For messages, such as a daemon's "source was set twice".
     *
     * @return {@code FileSource[native, /abs/root]}
     */
    @Override
    public String toString() {
        List<String> names = new ArrayList<>();
        roots.forEach(r -> names.add(r.toString()));
        return "FileSource[" + backend.wireName() + ", " + String.join(", ", names) + "]";
    }

    /**
     * Configures a {@link FileSource}: filesystem options only. Each setter checks its argument at once and
     * names the setting it rejects (a {@code null} argument is a {@link NullPointerException}, a bad value an
     * {@link IllegalArgumentException}); {@link #build()} checks combinations. A builder may build several
     * sources; a later call of a single-valued setter replaces the earlier value.
     */
    public static final class Builder {
        private final List<Path> roots = new ArrayList<>();
        private Backend backend = Backend.NATIVE;
        private Duration scanInterval = Duration.ofSeconds(1);
        private Duration scanBackoff;
        private final List<String> includes = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private final Set<String> extensions = new LinkedHashSet<>();
        private boolean vcsIgnore = true;
        private boolean followSymlinks;
        private boolean contentDedupe;
        private boolean reuseListings = true;
        private boolean deferVcs = true;
        private Duration vcsLockTimeout = VcsDeferral.DEFAULT_LOCK_TIMEOUT;
        private Scheduler vcsTimer;

        private Builder() {
        }

        /**
         * Adds a watch root: a directory watched with everything under it, or a regular file watched alone
         * (see "A file as a root" above). Repeatable. Default: the current directory when no root is added.
         * Relative paths resolve against the current directory. Which of the two a root is, is decided when the
         * source opens; a path that does not exist then fails the open.
         *
         * @param root a directory or a regular file
         * @return this builder
         * @throws NullPointerException if {@code root} is {@code null}
         */
        public Builder root(Path root) {
            roots.add(requireNonNull("root", root));
            return this;
        }

        /**
         * Adds several watch roots.
         *
         * @param roots directories or regular files
         * @return this builder
         * @throws NullPointerException if {@code roots} or one of them is {@code null}
         */
        public Builder roots(Collection<Path> roots) {
            requireNonNull("roots", roots).forEach(r -> requireNonNull("root", r));
            this.roots.addAll(roots);
            return this;
        }

        /**
         * How changes are detected. Default {@link Backend#NATIVE}.
         *
         * @param backend the backend
         * @return this builder
         * @throws NullPointerException if {@code backend} is {@code null}
         */
        public Builder backend(Backend backend) {
            this.backend = requireNonNull("backend", backend);
            return this;
        }

        /**
         * How often the polling backend scans the trees; the native backend polls subtrees it cannot watch,
         * and roots that disappeared, at the same interval. Default 1 s. (Periodic ticks of the daemon, with
         * or without changes, are {@link ReconcileDaemon.Builder#tickInterval}.)
         *
         * @param interval a positive duration
         * @return this builder
         * @throws NullPointerException     if {@code interval} is {@code null}
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         */
        public Builder scanInterval(Duration interval) {
            this.scanInterval = requirePositive("scanInterval", interval);
            return this;
        }

        /**
         * Idle backoff for the polling backend: after each scan that found nothing the interval doubles, up
         * to {@code max}; the first change brings it back to {@link #scanInterval}. Default off.
         *
         * @param max the longest interval, positive
         * @return this builder
         * @throws NullPointerException     if {@code max} is {@code null}
         * @throws IllegalArgumentException if {@code max} is zero or negative
         */
        public Builder scanBackoff(Duration max) {
            this.scanBackoff = requirePositive("scanBackoff", max);
            return this;
        }

        /**
         * Whether the polling backend may skip reading a directory whose modification time, change time and
         * inode are what they were when it last read it (each entry is still stat'ed every scan, so a file
         * changed in place is found either way). Default {@code true}. A listing is only reused when it was
         * taken at least 2 s after the directory last changed (timestamps can be coarse), and only on local
         * filesystems that keep those times exact: ext2/3/4, XFS, Btrfs, tmpfs, ramfs, ZFS, F2FS, JFS,
         * ReiserFS, bcachefs, APFS and HFS+. On any other (NFS, SMB/CIFS, FUSE, overlay, 9p, or a type that
         * cannot be found) and on platforms without the {@code unix} attribute view (Windows) every directory
         * is read each scan. Turn it off for a filesystem that claims one of those types but does not keep
         * directory times (such as a network filesystem presented as one). The native backend ignores it.
         *
         * @param reuse whether to reuse unchanged listings
         * @return this builder
         */
        public Builder reuseListings(boolean reuse) {
            this.reuseListings = reuse;
            return this;
        }

        /**
         * Only report files matching one of these globs (repeatable). Globs use {@code .gitignore} syntax
         * relative to the root: {@code src/**}{@code /*.java}; a pattern without a slash, such as
         * {@code *.java}, matches at any depth. Directories are still walked, and no longer reported.
         *
         * @param glob the glob
         * @return this builder
         * @throws NullPointerException     if {@code glob} is {@code null}
         * @throws IllegalArgumentException if {@code glob} is blank
         */
        public Builder include(String glob) {
            includes.add(requireGlob("include", glob));
            return this;
        }

        /**
         * Never track paths matching this glob (repeatable), in {@code .gitignore} syntax relative to the
         * root: {@code build/} excludes every directory named build, {@code /out} only the top one,
         * {@code *.tmp} every such file. An excluded directory is not watched or walked.
         *
         * @param glob the glob
         * @return this builder
         * @throws NullPointerException     if {@code glob} is {@code null}
         * @throws IllegalArgumentException if {@code glob} is blank
         */
        public Builder exclude(String glob) {
            excludes.add(requireGlob("exclude", glob));
            return this;
        }

        /**
         * Only report files with these extensions ({@code "java"} or {@code ".java"}, case-insensitive),
         * replacing the ones set before. Empty (the default) means all. Directories are then no longer
         * reported.
         *
         * @param exts the extensions
         * @return this builder
         * @throws NullPointerException     if {@code exts} or one of them is {@code null}
         * @throws IllegalArgumentException if one of them is blank
         */
        public Builder extensions(Collection<String> exts) {
            requireNonNull("extensions", exts);
            Set<String> normalized = new LinkedHashSet<>();
            for (String e : exts) {
                Objects.requireNonNull(e, "extensions must not contain a null entry");
                if (e.isBlank() || e.strip().equals(".")) {
                    throw new IllegalArgumentException("extensions must not contain a null or blank entry");
                }
                normalized.add(PathFilter.normalizeExtension(e.strip()));
            }
            extensions.clear();
            extensions.addAll(normalized);
            return this;
        }

        /**
         * Whether {@code .gitignore} files (nested ones too) and {@code .git/info/exclude} are obeyed, in
         * every watched tree, git repository or not. Default {@code true}. A changed {@code .gitignore}
         * takes effect at once: paths it now ignores are reported deleted, paths it no longer ignores
         * created.
         *
         * @param readGitignore whether to obey them
         * @return this builder
         */
        public Builder vcsIgnore(boolean readGitignore) {
            this.vcsIgnore = readGitignore;
            return this;
        }

        /**
         * Whether symbolic links to directories are walked and watched. Default {@code false}: a link is
         * reported as a file of its own. When following, a link back to one of its own ancestors is not
         * descended (loop protection).
         *
         * @param follow whether to follow
         * @return this builder
         */
        public Builder followSymlinks(boolean follow) {
            this.followSymlinks = follow;
            return this;
        }

        /**
         * Whether a file whose size is unchanged but whose mtime or file key changed is compared by content
         * (SHA-256), so a touch or a rewrite with identical bytes is no change. Hashes are computed only for
         * files found created or changed while watching, never for the whole tree at start; the first change
         * of a file that existed at start is therefore always reported. Default {@code false}.
         *
         * @param dedupe whether to compare content
         * @return this builder
         */
        public Builder contentDedupe(boolean dedupe) {
            this.contentDedupe = dedupe;
            return this;
        }

        /**
         * Whether the daemon's ticks wait while a watched tree's repository is in the middle of a
         * version-control operation, so the reconciler never sees a half-switched tree. Default {@code true}.
         *
         * <p>The repository of a root is found when the source opens: the nearest of the root and its
         * ancestors that holds {@code .git} (a directory, or a file naming the git directory elsewhere, as in
         * a linked worktree or a submodule) or {@code .hg}. While its git directory holds {@code index.lock},
         * {@code rebase-merge/}, {@code rebase-apply/}, {@code MERGE_HEAD}, {@code CHERRY_PICK_HEAD},
         * {@code REVERT_HEAD} or {@code BISECT_LOG}, or {@code .hg} holds {@code wlock}, the source holds the
         * daemon's ticks ({@link io.reactivewatch.core.SourceContext#hold}) with a reason naming the operation,
         * such as {@code git rebase in progress}, shown in {@link io.reactivewatch.core.DaemonStatus#holds()}.
         * Changes keep merging into pending meanwhile; once the markers have been gone for a moment (200 ms, as
         * git passes from one step of an operation to the next) the hold closes and one tick carries everything.
         * A checkout within one batch of events, or one a polling scan may have read halfway, holds too. Only
         * those marker paths are watched in the git directory, never its object store; {@code .git} and
         * {@code .hg} are never reported as changes either way. Repositories below a root, and one created
         * after the source opened, are not looked at. A source used on its own, without a daemon, holds
         * nothing.
         *
         * @param defer whether to hold ticks during version-control operations
         * @return this builder
         * @see #vcsLockTimeout(Duration)
         */
        public Builder deferVcs(boolean defer) {
            this.deferVcs = defer;
            return this;
        }

        /**
         * How old a version-control lock ({@code .git/index.lock}, {@code .hg/wlock}) may get before it stops
         * holding ticks: a crashed command leaves its lock behind, and ticks would wait for good. The age
         * counts from the lock's modification time or from when the source first saw it, whichever is earlier.
         * A lock that is older is named in one warning (logged, and in the status's {@code backendError} until
         * it is deleted) and holds no more; a new lock holds again. Operations that stop for the user (a
         * rebase or merge stopped on a conflict, a bisect) are not locks and hold for as long as they last.
         * Default 10 minutes: no checkout or reset holds the index that long, while {@code git commit -a}
         * holds it for as long as its editor is open, and a message may take minutes to write.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws NullPointerException     if {@code timeout} is {@code null}
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder vcsLockTimeout(Duration timeout) {
            this.vcsLockTimeout = requirePositive("vcsLockTimeout", timeout);
            return this;
        }

        /**
         * The scheduler of the version-control timers (a hold's linger, a lock's age) and the clock lock ages
         * are measured on; {@code Schedulers.boundedElastic()} unless set. For tests in virtual time.
         */
        Builder vcsTimer(Scheduler timer) {
            this.vcsTimer = requireNonNull("vcsTimer", timer);
            return this;
        }

        /**
         * Builds the source; it touches the filesystem only when opened. The roots are made absolute and
         * normalized here, symbolic links kept; whether they exist is checked by {@link FileSource#open}. Roots
         * are compared by their real paths (where they exist): two names of one directory are one root, the
         * first one given.
         *
         * @return the source
         * @throws IllegalStateException if one root contains another ({@code "roots must not overlap: …"})
         */
        public FileSource build() {
            return build(TestHooks.defaults());
        }

        /** Builds with test seams: only tests in this package use this. */
        FileSource build(TestHooks hooks) {
            Objects.requireNonNull(hooks, "hooks");
            List<Path> shown = new ArrayList<>();
            List<Path> resolved = new ArrayList<>();
            List<Path> given = roots.isEmpty() ? List.of(Path.of("")) : roots;
            for (Path root : given) {
                Path abs = root.toAbsolutePath().normalize();
                Path real = abs;
                try {
                    real = abs.toRealPath();
                } catch (IOException e) {
                    // Missing for now: open() names it.
                }
                if (!resolved.contains(real)) {
                    resolved.add(real);
                    shown.add(abs);
                }
            }
            for (int i = 0; i < resolved.size(); i++) {
                for (int j = 0; j < resolved.size(); j++) {
                    if (i != j && resolved.get(j).startsWith(resolved.get(i))) {
                        throw new IllegalStateException("roots must not overlap: " + name(shown.get(j), resolved.get(j))
                                + " is inside " + name(shown.get(i), resolved.get(i)));
                    }
                }
            }
            return new FileSource(this, List.copyOf(shown), hooks);
        }

        private static String name(Path shown, Path real) {
            return shown.equals(real) ? shown.toString() : shown + " (" + real + ")";
        }

        private static <T> T requireNonNull(String name, T value) {
            return Objects.requireNonNull(value, () -> name + " must not be null");
        }

        private static Duration requirePositive(String name, Duration value) {
            requireNonNull(name, value);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static String requireGlob(String name, String glob) {
            requireNonNull(name + " glob", glob);
            if (glob.isBlank()) {
                throw new IllegalArgumentException(name + " glob must not be null or blank");
            }
            return glob.strip();
        }
    }
}
