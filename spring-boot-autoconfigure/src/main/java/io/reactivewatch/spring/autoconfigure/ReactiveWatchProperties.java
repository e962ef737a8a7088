package io.reactivewatch.spring.autoconfigure;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.watch.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of reactive-watch's auto-configuration, under {@code reactive-watch}: one entry per watcher under
 * {@code reactive-watch.watchers.<name>}, each a {@code FileSource} plus a {@code ReconcileDaemon} run by a
 * {@code Reconciler} bean.
 *
 * <pre>
 * reactive-watch.watchers.docs.roots=content
 * reactive-watch.watchers.docs.extensions=md
 * reactive-watch.watchers.docs.settle=300ms
 * </pre>
 * Durations take Spring Boot's forms ({@code 50ms}, {@code 2s}, {@code 1m}). Invalid settings fail startup
 * with a message naming the property.
 */
@ConfigurationProperties(prefix = "reactive-watch")
public class ReactiveWatchProperties {

    // Field comments here are plain text: the configuration processor copies them verbatim into the metadata that
    // IDEs show, and IDEs that complete reactive-watch.watchers.NAME.* from the Watcher type show them too.

    /**
     * Whether the watchers are created and started. Set to false to switch reactive-watch's auto-configuration off.
     */
    private boolean enabled = true;

    /**
     * The watchers, by name. The name tags metrics (watcher=NAME), names the health component (/actuator/health/watch/NAME) and the endpoint path (/actuator/watch/NAME), and by default names the Reconciler bean.
     */
    private Map<String, Watcher> watchers = new LinkedHashMap<>();

    /**
     * See {@link #enabled}.
     *
     * @return the enabled setting
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * See {@link #enabled}.
     *
     * @param enabled the enabled setting
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * See {@link #watchers}.
     *
     * @return the watchers setting
     */
    public Map<String, Watcher> getWatchers() {
        return watchers;
    }

    /**
     * See {@link #watchers}.
     *
     * @param watchers the watchers setting
     */
    public void setWatchers(Map<String, Watcher> watchers) {
        this.watchers = watchers;
    }

    /** What follows a failed tick: {@code backoff} or {@code none}. */
    public enum RetryKind {
        /** A retry tick after an exponential backoff. */
        BACKOFF,
        /** No retry tick; the changes wait for the next tick. */
        NONE
    }

    /** One watcher: its filesystem source, coalescing, policies and persisted state. */
    public static class Watcher {

        /**
         * Name of the Reconciler bean this watcher runs. Default: the bean named like the watcher, or the only Reconciler bean when there is exactly one watcher and one such bean.
         */
        private String reconciler;

        /**
         * Directories to watch with everything under them, or regular files to watch alone (at least one; each must exist at startup; directories must not overlap).
         */
        private List<Path> roots = new ArrayList<>();

        /**
         * Globs (.gitignore syntax, relative to the root) of the files to report; all when empty. With includes, only files are reported.
         */
        private List<String> include = new ArrayList<>();

        /**
         * Globs (.gitignore syntax, relative to the root) of paths never to report or watch.
         */
        private List<String> exclude = new ArrayList<>();

        /**
         * File extensions to report, without the dot (java, md); all when empty.
         */
        private List<String> extensions = new ArrayList<>();

        /**
         * Whether .gitignore files and .git/info/exclude are obeyed. Default true.
         */
        private boolean vcsIgnore = true;

        /**
         * Whether symbolic links to directories are followed (with loop protection). Default false.
         */
        private boolean followSymlinks = false;

        /**
         * Whether ticks wait while a root's git or Mercurial repository is in the middle of an operation (a checkout, a rebase or merge stopped on a conflict, a bisect): changes keep merging, and one tick follows once it ends. The hold shows in the watcher's status. Default true.
         */
        private boolean deferVcs = true;

        /**
         * How old a version-control lock (.git/index.lock, .hg/wlock) may get before it stops holding ticks, as one a crashed command left behind (a warning names it). Default 10m.
         */
        private Duration vcsLockTimeout;

        /**
         * How changes are noticed: native (the platform's watch service, inotify on Linux) or polling (a snapshot diff every scan interval, for network filesystems). Default native.
         */
        private Backend backend = Backend.NATIVE;

        /**
         * How often the polling backend scans (also used for directories the native backend cannot watch). Default 1s.
         */
        private Duration scanInterval;

        /**
         * Coalescing window: a burst of changes within it is one tick, the first change opening it. Default 50ms. Not together with settle.
         */
        private Duration window;

        /**
         * Quiet period instead of a window: a tick starts once no change arrived for this long (or after max-wait). Not together with window.
         */
        private Duration settle;

        /**
         * The longest a settle waits for quiet before ticking anyway. Default 10 times settle; only with settle.
         */
        private Duration maxWait;

        /**
         * The most events one window holds before it closes early. Default: no limit (a burst inside one window is one tick; memory is bounded by distinct paths, not events); only with window.
         */
        private Integer maxBatch;

        /**
         * What happens to changes that arrive while a tick runs: queue (one rerun with all of them), drop (discarded and counted) or restart (the running tick is cancelled and rerun). Default queue.
         */
        private BusyPolicy busyPolicy = BusyPolicy.QUEUE;

        /**
         * What follows a failed or timed-out tick.
         */
        private Retry retry = new Retry();

        /**
         * How long one reconcile may run before it is cancelled as timed out. Default none.
         */
        private Duration tickTimeout;

        /**
         * How long a running reconcile may finish at shutdown before it is cancelled. Default 10s. Keep it below spring.lifecycle.timeout-per-shutdown-phase.
         */
        private Duration stopGracePeriod = Duration.ofSeconds(10);

        /**
         * Where the watcher persists its state (pending changes and the tracked snapshot), so what changed while the application was down arrives as one startup tick. Default none.
         */
        private Path stateFile;

        /**
         * Whether to tick once at start even when nothing changed while the application was down. Default false.
         */
        private boolean tickOnStart = false;

        /**
         * How the watcher's health indicator judges it.
         */
        private Health health = new Health();

        /**
         * See {@link #reconciler}.
         *
         * @return the reconciler setting
         */
        public @Nullable String getReconciler() {
            return reconciler;
        }

        /**
         * See {@link #reconciler}.
         *
         * @param reconciler the reconciler setting
         */
        public void setReconciler(@Nullable String reconciler) {
            this.reconciler = reconciler;
        }

        /**
         * See {@link #roots}.
         *
         * @return the roots setting
         */
        public List<Path> getRoots() {
            return roots;
        }

        /**
         * See {@link #roots}.
         *
         * @param roots the roots setting
         */
        public void setRoots(List<Path> roots) {
            this.roots = roots;
        }

        /**
         * See {@link #include}.
         *
         * @return the include setting
         */
        public List<String> getInclude() {
            return include;
        }

        /**
         * See {@link #include}.
         *
         * @param include the include setting
         */
        public void setInclude(List<String> include) {
            this.include = include;
        }

        /**
         * See {@link #exclude}.
         *
         * @return the exclude setting
         */
        public List<String> getExclude() {
            return exclude;
        }

        /**
         * See {@link #exclude}.
         *
         * @param exclude the exclude setting
         */
        public void setExclude(List<String> exclude) {
            this.exclude = exclude;
        }

        /**
         * See {@link #extensions}.
         *
         * @return the extensions setting
         */
        public List<String> getExtensions() {
            return extensions;
        }

        /**
         * See {@link #extensions}.
         *
         * @param extensions the extensions setting
         */
        public void setExtensions(List<String> extensions) {
            this.extensions = extensions;
        }

        /**
         * See {@link #vcsIgnore}.
         *
         * @return the vcsIgnore setting
         */
        public boolean isVcsIgnore() {
            return vcsIgnore;
        }

        /**
         * See {@link #vcsIgnore}.
         *
         * @param vcsIgnore the vcsIgnore setting
         */
        public void setVcsIgnore(boolean vcsIgnore) {
            this.vcsIgnore = vcsIgnore;
        }

        /**
         * See {@link #followSymlinks}.
         *
         * @return the followSymlinks setting
         */
        public boolean isFollowSymlinks() {
            return followSymlinks;
        }

        /**
         * See {@link #followSymlinks}.
         *
         * @param followSymlinks the followSymlinks setting
         */
        public void setFollowSymlinks(boolean followSymlinks) {
            this.followSymlinks = followSymlinks;
        }

        /**
         * See {@link #deferVcs}.
         *
         * @return the deferVcs setting
         */
        public boolean isDeferVcs() {
            return deferVcs;
        }

        /**
         * See {@link #deferVcs}.
         *
         * @param deferVcs the deferVcs setting
         */
        public void setDeferVcs(boolean deferVcs) {
            this.deferVcs = deferVcs;
        }

        /**
         * See {@link #vcsLockTimeout}.
         *
         * @return the vcsLockTimeout setting, or {@code null} for the default
         */
        public @Nullable Duration getVcsLockTimeout() {
            return vcsLockTimeout;
        }

        /**
         * See {@link #vcsLockTimeout}.
         *
         * @param vcsLockTimeout the vcsLockTimeout setting, or {@code null} for the default
         */
        public void setVcsLockTimeout(@Nullable Duration vcsLockTimeout) {
            this.vcsLockTimeout = vcsLockTimeout;
        }

        /**
         * See {@link #backend}.
         *
         * @return the backend setting
         */
        public Backend getBackend() {
            return backend;
        }

        /**
         * See {@link #backend}.
         *
         * @param backend the backend setting
         */
        public void setBackend(Backend backend) {
            this.backend = backend;
        }

        /**
         * See {@link #scanInterval}.
         *
         * @return the scanInterval setting
         */
        public @Nullable Duration getScanInterval() {
            return scanInterval;
        }

        /**
         * See {@link #scanInterval}.
         *
         * @param scanInterval the scanInterval setting
         */
        public void setScanInterval(@Nullable Duration scanInterval) {
            this.scanInterval = scanInterval;
        }

        /**
         * See {@link #window}.
         *
         * @return the window setting
         */
        public @Nullable Duration getWindow() {
            return window;
        }

        /**
         * See {@link #window}.
         *
         * @param window the window setting
         */
        public void setWindow(@Nullable Duration window) {
            this.window = window;
        }

        /**
         * See {@link #settle}.
         *
         * @return the settle setting
         */
        public @Nullable Duration getSettle() {
            return settle;
        }

        /**
         * See {@link #settle}.
         *
         * @param settle the settle setting
         */
        public void setSettle(@Nullable Duration settle) {
            this.settle = settle;
        }

        /**
         * See {@link #maxWait}.
         *
         * @return the maxWait setting
         */
        public @Nullable Duration getMaxWait() {
            return maxWait;
        }

        /**
         * See {@link #maxWait}.
         *
         * @param maxWait the maxWait setting
         */
        public void setMaxWait(@Nullable Duration maxWait) {
            this.maxWait = maxWait;
        }

        /**
         * See {@link #maxBatch}.
         *
         * @return the maxBatch setting
         */
        public @Nullable Integer getMaxBatch() {
            return maxBatch;
        }

        /**
         * See {@link #maxBatch}.
         *
         * @param maxBatch the maxBatch setting
         */
        public void setMaxBatch(@Nullable Integer maxBatch) {
            this.maxBatch = maxBatch;
        }

        /**
         * See {@link #busyPolicy}.
         *
         * @return the busyPolicy setting
         */
        public BusyPolicy getBusyPolicy() {
            return busyPolicy;
        }

        /**
         * See {@link #busyPolicy}.
         *
         * @param busyPolicy the busyPolicy setting
         */
        public void setBusyPolicy(BusyPolicy busyPolicy) {
            this.busyPolicy = busyPolicy;
        }

        /**
         * See {@link #retry}.
         *
         * @return the retry setting
         */
        public Retry getRetry() {
            return retry;
        }

        /**
         * See {@link #retry}.
         *
         * @param retry the retry setting
         */
        public void setRetry(Retry retry) {
            this.retry = retry;
        }

        /**
         * See {@link #tickTimeout}.
         *
         * @return the tickTimeout setting
         */
        public @Nullable Duration getTickTimeout() {
            return tickTimeout;
        }

        /**
         * See {@link #tickTimeout}.
         *
         * @param tickTimeout the tickTimeout setting
         */
        public void setTickTimeout(@Nullable Duration tickTimeout) {
            this.tickTimeout = tickTimeout;
        }

        /**
         * See {@link #stopGracePeriod}.
         *
         * @return the stopGracePeriod setting
         */
        public Duration getStopGracePeriod() {
            return stopGracePeriod;
        }

        /**
         * See {@link #stopGracePeriod}.
         *
         * @param stopGracePeriod the stopGracePeriod setting
         */
        public void setStopGracePeriod(Duration stopGracePeriod) {
            this.stopGracePeriod = stopGracePeriod;
        }

        /**
         * See {@link #stateFile}.
         *
         * @return the stateFile setting
         */
        public @Nullable Path getStateFile() {
            return stateFile;
        }

        /**
         * See {@link #stateFile}.
         *
         * @param stateFile the stateFile setting
         */
        public void setStateFile(@Nullable Path stateFile) {
            this.stateFile = stateFile;
        }

        /**
         * See {@link #tickOnStart}.
         *
         * @return the tickOnStart setting
         */
        public boolean isTickOnStart() {
            return tickOnStart;
        }

        /**
         * See {@link #tickOnStart}.
         *
         * @param tickOnStart the tickOnStart setting
         */
        public void setTickOnStart(boolean tickOnStart) {
            this.tickOnStart = tickOnStart;
        }

        /**
         * See {@link #health}.
         *
         * @return the health setting
         */
        public Health getHealth() {
            return health;
        }

        /**
         * See {@link #health}.
         *
         * @param health the health setting
         */
        public void setHealth(Health health) {
            this.health = health;
        }

    }

    /** Retry settings of one watcher. */
    public static class Retry {

        /**
         * backoff (the default): a retry tick after min, doubling per consecutive failure up to max; none: no retry tick, the changes wait for the next tick.
         */
        private RetryKind policy = RetryKind.BACKOFF;

        /**
         * The first backoff delay. Default 1s.
         */
        private Duration min = Duration.ofSeconds(1);

        /**
         * The longest backoff delay. Default 1m.
         */
        private Duration max = Duration.ofMinutes(1);

        /**
         * See {@link #policy}.
         *
         * @return the policy setting
         */
        public RetryKind getPolicy() {
            return policy;
        }

        /**
         * See {@link #policy}.
         *
         * @param policy the policy setting
         */
        public void setPolicy(RetryKind policy) {
            this.policy = policy;
        }

        /**
         * See {@link #min}.
         *
         * @return the min setting
         */
        public Duration getMin() {
            return min;
        }

        /**
         * See {@link #min}.
         *
         * @param min the min setting
         */
        public void setMin(Duration min) {
            this.min = min;
        }

        /**
         * See {@link #max}.
         *
         * @return the max setting
         */
        public Duration getMax() {
            return max;
        }

        /**
         * See {@link #max}.
         *
         * @param max the max setting
         */
        public void setMax(Duration max) {
            this.max = max;
        }

    }

    /** Health settings of one watcher. */
    public static class Health {

        /**
         * How many ticks in a row may fail (or time out) before the watcher is reported DOWN: it is DOWN once its consecutive failures pass this number. Default 3.
         */
        private int maxConsecutiveFailures = 3;

        /**
         * See {@link #maxConsecutiveFailures}.
         *
         * @return the maxConsecutiveFailures setting
         */
        public int getMaxConsecutiveFailures() {
            return maxConsecutiveFailures;
        }

        /**
         * See {@link #maxConsecutiveFailures}.
         *
         * @param maxConsecutiveFailures the maxConsecutiveFailures setting
         */
        public void setMaxConsecutiveFailures(int maxConsecutiveFailures) {
            this.maxConsecutiveFailures = maxConsecutiveFailures;
        }

    }
}
