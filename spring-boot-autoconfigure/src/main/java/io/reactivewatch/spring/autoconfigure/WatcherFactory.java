package io.reactivewatch.spring.autoconfigure;

import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.RetryPolicy;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.spring.autoconfigure.ReactiveWatchProperties.RetryKind;
import io.reactivewatch.spring.autoconfigure.ReactiveWatchProperties.Watcher;
import io.reactivewatch.watch.FileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds one daemon per configured watcher, naming the property behind every rejected value. Each setter of
 * the core builders validates at once; their message is kept as the reason.
 */
final class WatcherFactory {

    static final String PREFIX = "reactive-watch.watchers.";

    private final Map<String, Reconciler<?>> reconcilers;

    /** @param reconcilers the {@code Reconciler} beans by bean name */
    WatcherFactory(Map<String, Reconciler<?>> reconcilers) {
        this.reconcilers = reconcilers;
    }

    Map<String, ReconcileDaemon<?>> build(Map<String, Watcher> watchers) {
        Map<String, ReconcileDaemon<?>> daemons = new LinkedHashMap<>();
        watchers.forEach((name, w) -> daemons.put(name, build(name, w, watchers.size())));
        return daemons;
    }

    @SuppressWarnings("unchecked")
    private ReconcileDaemon<?> build(String name, Watcher w, int watcherCount) {
        String p = PREFIX + name + ".";
        Reconciler<Object> reconciler = (Reconciler<Object>) reconciler(name, w, watcherCount);
        FileSource source = source(p, w);
        ReconcileDaemon.Builder<Object> b = ReconcileDaemon.builder(reconciler).source(source);
        coalescing(p, w, b);
        b.busyPolicy(w.getBusyPolicy());
        ReactiveWatchProperties.Retry retry = w.getRetry();
        if (retry.getPolicy() == RetryKind.NONE) {
            b.retry(RetryPolicy.none());
        } else {
            check(p + "retry.min", retry.getMin(), () -> b.retry(RetryPolicy.backoff(retry.getMin(), retry.getMax())));
        }
        if (w.getTickTimeout() != null) {
            check(p + "tick-timeout", w.getTickTimeout(), () -> b.tickTimeout(w.getTickTimeout()));
        }
        check(p + "stop-grace-period", w.getStopGracePeriod(), () -> b.stopGracePeriod(w.getStopGracePeriod()));
        Path stateFile = w.getStateFile();
        if (stateFile != null) {
            Path dir = stateFile.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new WatcherConfigurationException(p + "state-file", stateFile,
                        "its directory " + dir + " does not exist",
                        "Create the directory, or point " + p + "state-file elsewhere.");
            }
            b.stateStore(StateStore.file(stateFile));
        }
        b.tickOnStart(w.isTickOnStart());
        if (w.getHealth().getMaxConsecutiveFailures() < 0) {
            throw new WatcherConfigurationException(p + "health.max-consecutive-failures",
                    w.getHealth().getMaxConsecutiveFailures(), "must not be negative", "Set it to 0 or more.");
        }
        return b.build();
    }

    private Reconciler<?> reconciler(String name, Watcher w, int watcherCount) {
        String wanted = w.getReconciler();
        if (wanted != null) {
            Reconciler<?> r = reconcilers.get(wanted);
            if (r == null) {
                throw new WatcherConfigurationException(PREFIX + name + ".reconciler", wanted,
                        "there is no Reconciler bean named '" + wanted + "' (Reconciler beans: "
                                + reconcilers.keySet() + ")",
                        "Define a Reconciler bean named '" + wanted + "', or name an existing one.");
            }
            return r;
        }
        Reconciler<?> byName = reconcilers.get(name);
        if (byName != null) {
            return byName;
        }
        if (watcherCount == 1 && reconcilers.size() == 1) {
            return reconcilers.values().iterator().next();
        }
        throw new WatcherConfigurationException(PREFIX + name + ".reconciler", null,
                "no Reconciler bean for watcher '" + name + "': none is named '" + name + "'"
                        + (reconcilers.isEmpty() ? " and there is no Reconciler bean at all"
                                : " (Reconciler beans: " + reconcilers.keySet() + ")"),
                "Define a Reconciler bean named '" + name + "', or set " + PREFIX + name
                        + ".reconciler to the name of a Reconciler bean.");
    }

    private static FileSource source(String p, Watcher w) {
        List<Path> roots = w.getRoots();
        if (roots.isEmpty()) {
            throw new WatcherConfigurationException(p + "roots", null, "a watcher needs at least one root",
                    "Set " + p + "roots to the directories or files to watch.");
        }
        FileSource.Builder fs = FileSource.builder();
        for (int i = 0; i < roots.size(); i++) {
            Path root = roots.get(i);
            // A directory is watched with its tree; a regular file (a configuration file, say) alone.
            if (!Files.isDirectory(root) && !Files.isRegularFile(root)) {
                throw new WatcherConfigurationException(p + "roots[" + i + "]", root,
                        Files.exists(root) ? "watch root is neither a directory nor a regular file"
                                : "watch root does not exist: " + root.toAbsolutePath().normalize(),
                        "Create the directory or file, or change " + p + "roots.");
            }
            fs.root(root);
        }
        w.getInclude().forEach(g -> check(p + "include", g, () -> fs.include(g)));
        w.getExclude().forEach(g -> check(p + "exclude", g, () -> fs.exclude(g)));
        if (!w.getExtensions().isEmpty()) {
            check(p + "extensions", w.getExtensions(), () -> fs.extensions(w.getExtensions()));
        }
        fs.vcsIgnore(w.isVcsIgnore()).followSymlinks(w.isFollowSymlinks()).backend(w.getBackend())
                .deferVcs(w.isDeferVcs());
        Duration lockTimeout = w.getVcsLockTimeout();
        if (lockTimeout != null) {
            check(p + "vcs-lock-timeout", lockTimeout, () -> fs.vcsLockTimeout(lockTimeout));
        }
        if (w.getScanInterval() != null) {
            check(p + "scan-interval", w.getScanInterval(), () -> fs.scanInterval(w.getScanInterval()));
        }
        FileSource[] built = new FileSource[1];
        check(p + "roots", roots, () -> built[0] = fs.build());
        return built[0];
    }

    private static void coalescing(String p, Watcher w, ReconcileDaemon.Builder<Object> b) {
        Duration window = w.getWindow();
        Duration settle = w.getSettle();
        if (window != null && settle != null) {
            throw new WatcherConfigurationException(p + "settle", settle,
                    "window (" + window + ") and settle are both set; a watcher coalesces one way",
                    "Remove " + p + "window or " + p + "settle.");
        }
        if (settle != null) {
            if (w.getMaxBatch() != null) {
                throw new WatcherConfigurationException(p + "max-batch", w.getMaxBatch(),
                        "settle never closes a batch by count", "Remove " + p + "max-batch, or use window.");
            }
            Duration maxWait = w.getMaxWait() != null ? w.getMaxWait() : settle.multipliedBy(10);
            check(p + (w.getMaxWait() != null ? "max-wait" : "settle"), w.getMaxWait() != null ? maxWait : settle,
                    () -> b.coalescing(Coalescing.settle(settle, maxWait)));
            return;
        }
        if (w.getMaxWait() != null) {
            throw new WatcherConfigurationException(p + "max-wait", w.getMaxWait(), "max-wait needs settle",
                    "Set " + p + "settle, or remove " + p + "max-wait.");
        }
        if (window != null || w.getMaxBatch() != null) {
            Duration wnd = window != null ? window : Coalescing.DEFAULT_WINDOW;
            Integer max = w.getMaxBatch();
            check(p + (window != null ? "window" : "max-batch"), window != null ? window : max,
                    () -> b.coalescing(max != null ? Coalescing.window(wnd, max) : Coalescing.window(wnd)));
        }
    }

    /** Runs one builder step, turning its rejection into a failure naming {@code property}. */
    private static void check(String property, @Nullable Object value, Runnable step) {
        try {
            step.run();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new WatcherConfigurationException(property, value, e.getMessage(),
                    "Update " + property + " in your application's configuration.", e);
        }
    }
}
