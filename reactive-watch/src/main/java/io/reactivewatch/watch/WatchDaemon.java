package io.reactivewatch.watch;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.SourceDescription;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.SourceState;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * Watches directory trees and reconciles their changes: coalesced, single flight, nothing lost.
 *
 * <pre>{@code
 * WatchDaemon<Void> daemon = WatchDaemon.builder((Tick tick) -> reindex(tick.changes()))
 *         .root(Path.of("src"))
 *         .extensions(List.of("java"))
 *         .build();
 * daemon.start();
 * ...
 * daemon.close();
 * }</pre>
 *
 * <h2>What it reports</h2>
 * Each tick's {@link io.reactivewatch.core.ChangeSet} holds absolute, normalized paths under the real path
 * of their root, each {@code created}, {@code modified} or {@code deleted}, as a file or a directory.
 * Filesystem events are only hints: every path is checked against a tracked snapshot (size, mtime in
 * nanoseconds, file key, optionally a content hash), so repeated events collapse, an atomic save (a
 * temporary file renamed over the target) is one {@code modified}, and a new directory is reported with
 * everything already inside it. A deleted directory reports its tracked descendants as deleted. When the
 * platform drops events (overflow), the affected subtree is rescanned and the difference delivered with a
 * rescan marker ({@link io.reactivewatch.core.ChangeSet#rescan()}). A deleted root is reported (its
 * contents deleted, plus a rescan marker), polled for, and watched again when it reappears. Directories
 * that cannot be watched (permissions, the inotify watch limit) are polled instead and named in
 * {@link DaemonStatus#backendError()}. Directories themselves are reported created and deleted, never
 * modified; with {@link Builder#include include} globs or {@link Builder#extensions extensions} set, only
 * files are reported.
 *
 * <h2>What it ignores</h2>
 * {@code .git}, {@code .hg} and {@code .svn} directories; editor swap, backup, lock and probe files
 * ({@code .x.swp}, {@code x~}, {@code .#x}, {@code #x#}, vim's {@code 4913}, JetBrains' {@code ___jb_tmp___});
 * the daemon's own state file and its temporary files; whatever {@code .gitignore} files and
 * {@code .git/info/exclude} ignore (unless {@link Builder#vcsIgnore vcsIgnore(false)}); and the
 * {@link Builder#exclude exclude} globs. An ignored directory is not watched or walked at all.
 *
 * <h2>Threads</h2>
 * Filesystem work runs on one dedicated thread per daemon (plus a short-lived pool for the start-up walk);
 * timers run on the {@link Builder#scheduler scheduler}. The reconciler is called on that scheduler (a
 * {@code Schedulers.parallel()} thread by default), never on the filesystem thread. Blocking work belongs on
 * {@code subscribeOn(Schedulers.boundedElastic())} or a scheduler of your own, or the daemon's timers wait
 * for it.
 *
 * @param <R> the reconciler's result type
 */
public final class WatchDaemon<R> implements AutoCloseable {

    private final Settings settings;
    private final ReconcileDaemon<R> daemon;
    private volatile List<Path> roots;
    private volatile TreeWatcher source;
    private boolean started;
    private boolean stopped;

    private WatchDaemon(Builder<R> b, Settings settings) {
        this.settings = settings;
        this.roots = settings.roots();
        ReconcileDaemon.Builder<R> core = ReconcileDaemon.builder(b.reconciler)
                .source(Flux.defer(this::sourceEvents))
                .sourceTrigger(settings.backend() == Backend.NATIVE ? Trigger.WATCH : Trigger.POLL)
                .sourceDescription(this::describe)
                .window(b.window)
                .maxBatch(b.maxBatch)
                .busyPolicy(b.busyPolicy)
                .maxChangesPerTick(b.maxChangesPerTick)
                .retryBackoff(b.retryMin, b.retryMax)
                .stopGracePeriod(b.stopGracePeriod)
                .tickOnStart(b.tickOnStart);
        if (b.settle != null) {
            core.settle(b.settle, b.maxWait);
        }
        if (b.tickTimeout != null) {
            core.tickTimeout(b.tickTimeout);
        }
        if (b.scheduler != null) {
            core.scheduler(b.scheduler);
        }
        if (settings.stateStore() != null) {
            core.stateStore(settings.stateStore()).sourceState(new PersistedSource());
        }
        this.daemon = core.build();
    }

    /**
     * Starts building a daemon around a reconciler.
     *
     * @param reconciler the user code run once per tick
     * @param <R>        its result type
     * @return a builder with the defaults listed on each setter
     * @throws IllegalArgumentException if {@code reconciler} is {@code null}
     */
    public static <R> Builder<R> builder(Reconciler<R> reconciler) {
        if (reconciler == null) {
            throw new IllegalArgumentException("reconciler must not be null");
        }
        return new Builder<>(reconciler);
    }

    /**
     * Starts watching: checks the roots, registers a watch on every directory and walks the trees (native),
     * or takes the first snapshot (polling); then, with a state file, delivers what changed while the daemon
     * was down as a {@link Trigger#STARTUP} tick (created, modified and deleted paths); then delivers changes
     * as they happen. Blocks for the walk (well under a second for 50,000 files on a local disk). Events
     * that happen during the walk are not lost: they queue and are checked once the walk is done.
     *
     * @throws IllegalArgumentException if a root does not exist ({@code "watch root does not exist: PATH"})
     *                                  or is not a readable directory
     *                                  ({@code "watch root is not a readable directory: PATH"})
     * @throws IllegalStateException    if the daemon was started before, or stopped before it started
     */
    public void start() {
        synchronized (this) {
            if (stopped && !started) {
                // Checked before anything is opened: a watch service opened here would only be closed again.
                throw new IllegalStateException("WatchDaemon was stopped before it started; build a new one");
            }
            if (started) {
                throw new IllegalStateException("WatchDaemon already started; a daemon runs once, build a new one");
            }
            started = true;
        }
        List<Path> checked = new ArrayList<>();
        for (Path root : roots) {
            checked.add(checkRoot(root));
        }
        roots = List.copyOf(checked);
        WatcherConfig cfg = settings.sourceConfig(roots);
        TreeWatcher s = settings.backend() == Backend.NATIVE ? new NativeWatcher(cfg) : new PollingWatcher(cfg);
        if (s instanceof NativeWatcher n && settings.holdNative() != null) {
            n.holdForTest(settings.holdNative());
        }
        try {
            s.open();
        } catch (IOException | RuntimeException e) {
            s.close(Duration.ofSeconds(1));
            throw new IllegalStateException("cannot start the " + settings.backend().wireName()
                    + " filesystem watcher: " + e.getMessage(), e);
        } catch (Error e) {
            s.close(Duration.ofSeconds(1)); // the watch service is a kernel resource: never leak it
            throw e;
        }
        source = s;
        try {
            daemon.start();
        } catch (RuntimeException | Error e) {
            s.close(Duration.ofSeconds(1));
            throw e;
        }
    }

    private static Path checkRoot(Path root) {
        if (!Files.exists(root)) {
            throw new IllegalArgumentException("watch root does not exist: " + root);
        }
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            throw new IllegalArgumentException("watch root is not a readable directory: " + root);
        }
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("watch root is not a readable directory: " + root, e);
        }
    }

    /**
     * Stops gracefully: stops watching at once (even in the middle of a coalescing window), lets a running
     * reconcile finish within the stop grace period (then cancels it; its changes stay pending), persists
     * the state (with a state file), releases the watch service and its thread, and completes. Idempotent;
     * lazy (nothing happens until subscribed). Stopping a daemon that never started completes at once.
     *
     * @return a {@code Mono} that completes when the daemon has fully stopped
     */
    public Mono<Void> stop() {
        return Mono.fromRunnable(() -> {
            synchronized (this) {
                stopped = true;
            }
        }).then(daemon.stop()).then(Mono.<Void>fromRunnable(() -> {
            TreeWatcher s = source;
            if (s != null) {
                s.close(Duration.ofSeconds(5));
            }
        }).subscribeOn(Schedulers.boundedElastic()));
    }

    /**
     * Stops and waits, up to the stop grace period plus fifteen seconds.
     */
    @Override
    public void close() {
        try {
            stop().block(settings.stopGracePeriod().plusSeconds(15));
        } catch (IllegalStateException timeout) {
            daemon.close();
            TreeWatcher s = source;
            if (s != null) {
                s.close(Duration.ofSeconds(1));
            }
        }
    }

    /**
     * Requests a {@link Trigger#MANUAL} tick through the single-flight path: it runs after a running
     * reconcile and may share its tick with pending changes or other requests.
     *
     * @return the result of the tick that carried this request; fails with {@link IllegalStateException} if
     *         the daemon is not running or stops before the tick starts
     */
    public Mono<TickResult<R>> tickNow() {
        return daemon.tickNow();
    }

    /**
     * The results of all ticks from now on. Hot: a subscriber sees the ticks that finish after it subscribed
     * (subscribing before {@link #start()} sees the start-up tick); one that does not keep up misses results
     * (apply {@code onBackpressureBuffer()} to keep them all). Completes when the daemon stops.
     *
     * @return a hot flux of tick results
     */
    public Flux<TickResult<R>> ticks() {
        return daemon.ticks();
    }

    /**
     * The daemon's status now: {@code backend} is {@code native} or {@code polling}, {@code watchPaths} the
     * roots, {@code trackedFiles} how many paths the snapshot holds, {@code backendError} the last
     * registration or I/O problem (or a root that disappeared).
     *
     * @return an immutable snapshot
     */
    public DaemonStatus status() {
        return daemon.status();
    }

    /**
     * Status snapshots as they change: the latest at once, then one per batch, tick start and tick end.
     * Completes when the daemon stops.
     *
     * @return a hot flux of snapshots replaying the latest
     */
    public Flux<DaemonStatus> statusUpdates() {
        return daemon.statusUpdates();
    }

    /**
     * The roots: absolute, normalized, and real paths (symbolic links resolved) when they existed at
     * {@link Builder#build()} or {@link #start()}.
     *
     * @return an unmodifiable list
     */
    public List<Path> roots() {
        return roots;
    }

    /** The active source, for tests in this package. */
    TreeWatcher source() {
        return source;
    }

    private Flux<SourceEvent> sourceEvents() {
        TreeWatcher s = source;
        return s == null ? Flux.error(new IllegalStateException("source not open")) : s.events();
    }

    private SourceDescription describe() {
        TreeWatcher s = source;
        if (s != null) {
            return s.describe();
        }
        List<String> names = new ArrayList<>();
        roots.forEach(r -> names.add(r.toString()));
        return new SourceDescription(names, settings.backend().wireName(), null, 0);
    }

    /** Hands the persisted section to the source that start() opened. */
    private final class PersistedSource implements SourceState {
        @Override
        public List<SourceEvent> restore(JsonNode persisted) {
            return source.restore(persisted);
        }

        @Override
        public JsonNode snapshot() {
            TreeWatcher s = source;
            return s == null ? null : s.snapshot();
        }
    }

    /** The validated filesystem settings fixed by build(). */
    private record Settings(List<Path> roots, Backend backend, Duration pollInterval, Duration pollBackoffMax,
            List<String> includes, List<String> excludes, Set<String> extensions, boolean vcsIgnore,
            boolean followSymlinks, boolean contentDedupe, StateStore stateStore, String stateFileName,
            Duration stopGracePeriod,
            int scanParallelism, Predicate<Path> refuseWatch, WatcherConfig.WatchServices watchServices,
            CountDownLatch holdNative) {

        WatcherConfig sourceConfig(List<Path> realRoots) {
            Predicate<Path> owned = p -> false;
            if (stateStore != null) {
                // Every file the store writes has the state file's name in its own: a cheap test first.
                String name = stateFileName;
                owned = p -> p.getFileName().toString().contains(name) && stateStore.owns(p);
            }
            PathFilter filter = new PathFilter(includes, excludes, extensions, owned);
            return new WatcherConfig(realRoots, pollInterval, pollBackoffMax, filter, vcsIgnore, followSymlinks,
                    contentDedupe, scanParallelism, refuseWatch, watchServices);
        }
    }

    /**
     * Configures a {@link WatchDaemon}. Each setter checks its argument at once and names the setting it
     * rejects; {@link #build()} checks combinations. A builder may build several daemons.
     *
     * @param <R> the reconciler's result type
     */
    public static final class Builder<R> {
        private final Reconciler<R> reconciler;
        private final List<Path> roots = new ArrayList<>();
        private Backend backend = Backend.NATIVE;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration pollBackoffMax;
        private final List<String> includes = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private final Set<String> extensions = new LinkedHashSet<>();
        private boolean vcsIgnore = true;
        private boolean followSymlinks;
        private boolean contentDedupe;
        private Duration window = Duration.ofMillis(50);
        private int maxBatch = 10_000;
        private Duration settle;
        private Duration maxWait;
        private BusyPolicy busyPolicy = BusyPolicy.QUEUE;
        private int maxChangesPerTick = Integer.MAX_VALUE;
        private Duration tickTimeout;
        private Duration retryMin = Duration.ofSeconds(1);
        private Duration retryMax = Duration.ofMinutes(1);
        private Duration stopGracePeriod = Duration.ofSeconds(10);
        private Path stateFile;
        private boolean tickOnStart;
        private Scheduler scheduler;
        private int scanParallelism = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
        private Predicate<Path> refuseWatch = p -> false;
        private CountDownLatch holdNative;
        private WatcherConfig.WatchServices watchServices = WatcherConfig.WatchServices.platform();

        private Builder(Reconciler<R> reconciler) {
            this.reconciler = reconciler;
        }

        /**
         * Adds a watch root: a directory watched with everything under it. Repeatable. Default: the current
         * directory when no root is added. Relative paths resolve against the current directory.
         *
         * @param root a directory
         * @return this builder
         * @throws IllegalArgumentException if {@code root} is {@code null}
         */
        public Builder<R> root(Path root) {
            roots.add(requireArg("root", root));
            return this;
        }

        /**
         * Adds several watch roots.
         *
         * @param roots directories
         * @return this builder
         * @throws IllegalArgumentException if {@code roots} or one of them is {@code null}
         */
        public Builder<R> roots(Collection<Path> roots) {
            requireArg("roots", roots).forEach(this::root);
            return this;
        }

        /**
         * How changes are detected. Default {@link Backend#NATIVE}.
         *
         * @param backend the backend
         * @return this builder
         * @throws IllegalArgumentException if {@code backend} is {@code null}
         */
        public Builder<R> backend(Backend backend) {
            this.backend = requireArg("backend", backend);
            return this;
        }

        /**
         * The polling backend's scan interval; the native backend polls subtrees it cannot watch, and roots
         * that disappeared, at the same interval. Default 1 s.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is null, zero or negative
         */
        public Builder<R> pollInterval(Duration interval) {
            this.pollInterval = requirePositive("pollInterval", interval);
            return this;
        }

        /**
         * Idle backoff for the polling backend: after each scan that found nothing the interval doubles, up
         * to {@code max}; the first change brings it back to {@link #pollInterval}. Default off.
         *
         * @param max the longest interval, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is null, zero or negative
         */
        public Builder<R> pollBackoff(Duration max) {
            this.pollBackoffMax = requirePositive("pollBackoff", max);
            return this;
        }

        /**
         * Only report files matching one of these globs (repeatable). Globs use {@code .gitignore} syntax
         * relative to the root: {@code src/**}{@code /*.java}; a pattern without a slash, such as
         * {@code *.java}, matches at any depth. Directories are still walked, and no longer reported.
         *
         * @param glob the glob
         * @return this builder
         * @throws IllegalArgumentException if {@code glob} is null or blank
         */
        public Builder<R> include(String glob) {
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
         * @throws IllegalArgumentException if {@code glob} is null or blank
         */
        public Builder<R> exclude(String glob) {
            excludes.add(requireGlob("exclude", glob));
            return this;
        }

        /**
         * Only report files with these extensions ({@code "java"} or {@code ".java"}, case-insensitive).
         * Empty (the default) means all. Directories are then no longer reported.
         *
         * @param exts the extensions
         * @return this builder
         * @throws IllegalArgumentException if {@code exts} or one of them is null or blank
         */
        public Builder<R> extensions(Collection<String> exts) {
            requireArg("extensions", exts);
            Set<String> normalized = new LinkedHashSet<>();
            for (String e : exts) {
                if (e == null || e.isBlank() || e.equals(".")) {
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
        public Builder<R> vcsIgnore(boolean readGitignore) {
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
        public Builder<R> followSymlinks(boolean follow) {
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
        public Builder<R> contentDedupe(boolean dedupe) {
            this.contentDedupe = dedupe;
            return this;
        }

        /**
         * The coalescing window: a tick starts at most this long after the first change of a burst, even if
         * changes keep coming. Default 50 ms.
         *
         * @param window a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code window} is null, zero or negative
         */
        public Builder<R> window(Duration window) {
            this.window = requirePositive("window", window);
            return this;
        }

        /**
         * The most changes one window holds; a full window closes at once. Default 10,000.
         *
         * @param maxBatch at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBatch} is below 1
         */
        public Builder<R> maxBatch(int maxBatch) {
            this.maxBatch = requirePositive("maxBatch", maxBatch);
            return this;
        }

        /**
         * Quiet-period mode instead of the window: a tick starts once no change arrived for {@code quiet},
         * or {@code maxWait} after the first pending change. Default off.
         *
         * @param quiet   the quiet period, positive
         * @param maxWait the longest wait, not shorter than {@code quiet}
         * @return this builder
         * @throws IllegalArgumentException if a duration is not positive or {@code maxWait < quiet}
         */
        public Builder<R> settle(Duration quiet, Duration maxWait) {
            requirePositive("settle", quiet);
            requirePositive("maxWait", maxWait);
            if (maxWait.compareTo(quiet) < 0) {
                throw new IllegalArgumentException("maxWait (" + maxWait + ") must not be shorter than settle ("
                        + quiet + ")");
            }
            this.settle = quiet;
            this.maxWait = maxWait;
            return this;
        }

        /**
         * What to do with changes that arrive while a reconcile runs. Default {@link BusyPolicy#QUEUE}.
         *
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException if {@code policy} is {@code null}
         */
        public Builder<R> busyPolicy(BusyPolicy policy) {
            this.busyPolicy = requireArg("busyPolicy", policy);
            return this;
        }

        /**
         * The per-tick budget: the most changes one tick holds; the rest runs at once in a
         * {@link Trigger#CONTINUATION} tick. Default unlimited.
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder<R> maxChangesPerTick(int max) {
            this.maxChangesPerTick = requirePositive("maxChangesPerTick", max);
            return this;
        }

        /**
         * How long one reconcile may run before it is cancelled as timed out (and retried). Default none.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
         */
        public Builder<R> tickTimeout(Duration timeout) {
            this.tickTimeout = requirePositive("tickTimeout", timeout);
            return this;
        }

        /**
         * The retry backoff after failures: {@code min}, doubling per consecutive failure, capped at
         * {@code max}. Default 1 s to 1 min.
         *
         * @param min the first delay, positive
         * @param max the cap, not below {@code min}
         * @return this builder
         * @throws IllegalArgumentException if a duration is not positive or {@code max < min}
         */
        public Builder<R> retryBackoff(Duration min, Duration max) {
            requirePositive("retryBackoff min", min);
            requirePositive("retryBackoff max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("retryBackoff max (" + max + ") must not be below min (" + min + ")");
            }
            this.retryMin = min;
            this.retryMax = max;
            return this;
        }

        /**
         * How long {@link WatchDaemon#stop()} lets a running reconcile finish before cancelling it.
         * Default 10 s.
         *
         * @param grace zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code grace} is null or negative
         */
        public Builder<R> stopGracePeriod(Duration grace) {
            requireArg("stopGracePeriod", grace);
            if (grace.isNegative()) {
                throw new IllegalArgumentException("stopGracePeriod must not be negative, was " + grace);
            }
            this.stopGracePeriod = grace;
            return this;
        }

        /**
         * Persist state in this JSON file: pending changes and the tracked snapshot. On the next start,
         * what changed on disk while the daemon was down is delivered as a {@link Trigger#STARTUP} tick.
         * The file, its temporary files and set-aside corrupt copies are never reported, even inside a
         * watched root. Default none.
         *
         * @param file the state file; its directory is created on first save
         * @return this builder
         * @throws IllegalArgumentException if {@code file} is {@code null}
         */
        public Builder<R> stateFile(Path file) {
            this.stateFile = requireArg("stateFile", file);
            return this;
        }

        /**
         * Whether to run a {@link Trigger#STARTUP} tick at start even when nothing changed while the daemon
         * was down. Default {@code false}.
         *
         * @param tick whether to tick unconditionally at start
         * @return this builder
         */
        public Builder<R> tickOnStart(boolean tick) {
            this.tickOnStart = tick;
            return this;
        }

        /**
         * The scheduler of every timer (window, settle, timeouts, retries) and of status timestamps.
         * Default {@code Schedulers.parallel()}. Filesystem work never runs on it.
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws IllegalArgumentException if {@code scheduler} is {@code null}
         */
        public Builder<R> scheduler(Scheduler scheduler) {
            this.scheduler = requireArg("scheduler", scheduler);
            return this;
        }

        /** Test seam: native registration of matching directories fails as if permission were denied. */
        Builder<R> refuseWatch(Predicate<Path> refuse) {
            this.refuseWatch = Objects.requireNonNull(refuse);
            return this;
        }

        /** Test seam: how the native backend opens its watch service. */
        Builder<R> watchServices(WatcherConfig.WatchServices services) {
            this.watchServices = Objects.requireNonNull(services);
            return this;
        }

        /** Test seam: the native worker takes no event until the latch opens. */
        Builder<R> holdNativeWorker(CountDownLatch latch) {
            this.holdNative = latch;
            return this;
        }

        /** Threads for the start-up walk; 1 walks on the caller of start(). */
        Builder<R> scanParallelism(int threads) {
            this.scanParallelism = requirePositive("scanParallelism", threads);
            return this;
        }

        /**
         * Builds the daemon; it does nothing until {@link WatchDaemon#start()}. The roots are resolved here
         * (absolute, normalized, symbolic links resolved if they exist); whether they exist is checked by
         * {@code start()}.
         *
         * @return the daemon
         * @throws IllegalStateException if one root contains another
         */
        public WatchDaemon<R> build() {
            List<Path> resolved = new ArrayList<>();
            List<Path> given = roots.isEmpty() ? List.of(Path.of("")) : roots;
            for (Path root : given) {
                Path abs = root.toAbsolutePath().normalize();
                try {
                    abs = abs.toRealPath();
                } catch (IOException e) {
                    // Missing for now: start() names it.
                }
                if (!resolved.contains(abs)) {
                    resolved.add(abs);
                }
            }
            for (Path a : resolved) {
                for (Path b : resolved) {
                    if (a != b && b.startsWith(a)) {
                        throw new IllegalStateException("roots must not overlap: " + b + " is inside " + a);
                    }
                }
            }
            Path state = stateFile == null ? null : realParent(stateFile);
            StateStore store = state == null ? null : StateStore.file(state);
            Settings s = new Settings(List.copyOf(resolved), backend, pollInterval, pollBackoffMax,
                    List.copyOf(includes), List.copyOf(excludes), Set.copyOf(extensions), vcsIgnore,
                    followSymlinks, contentDedupe, store, state == null ? null : state.getFileName().toString(),
                    stopGracePeriod, scanParallelism, refuseWatch, watchServices, holdNative);
            return new WatchDaemon<>(this, s);
        }

        /**
         * The state file under the real path of its deepest existing ancestor, so it matches the real paths
         * of watched files even when its directory does not exist yet and is reached through a symbolic link.
         */
        private static Path realParent(Path file) {
            Path abs = file.toAbsolutePath().normalize();
            Path existing = abs.getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return abs;
            }
            try {
                return existing.toRealPath().resolve(existing.relativize(abs));
            } catch (IOException e) {
                return abs;
            }
        }

        private static <T> T requireArg(String name, T value) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }

        private static Duration requirePositive(String name, Duration value) {
            requireArg(name, value);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        private static int requirePositive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
            return value;
        }

        private static String requireGlob(String name, String glob) {
            if (glob == null || glob.isBlank()) {
                throw new IllegalArgumentException(name + " glob must not be null or blank");
            }
            return glob.strip();
        }
    }
}
