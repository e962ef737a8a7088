package io.reactivewatch.spring.autoconfigure;

import io.reactivewatch.core.ReconcileDaemon;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;

/**
 * The watchers of {@code reactive-watch.watchers}, by name, and their lifecycle in the application context.
 *
 * <p>The daemons are built when the context is refreshed (a bad setting fails startup there) and started by
 * this {@link SmartLifecycle} once every singleton exists, in phase {@link #PHASE}: after the web server has
 * started, and at shutdown together with the web server's graceful shutdown. Stopping ends every watcher at
 * once, lets a running reconcile finish within the watcher's {@code stop-grace-period} (bounded again by
 * {@code spring.lifecycle.timeout-per-shutdown-phase}), persists each watcher's state and closes its source.
 * A daemon runs once: after a stop, a context whose lifecycle is restarted gets an error.
 */
public final class ReactiveWatchers implements SmartLifecycle, DisposableBean {

    /** The lifecycle phase: that of Spring Boot's graceful web server shutdown. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private final Map<String, ReconcileDaemon<?>> daemons;
    private final Map<String, Integer> maxConsecutiveFailures;
    private final Map<String, Path> stateFiles;
    private volatile boolean running;

    /**
     * Watchers built, not started yet.
     *
     * @param daemons                the daemons by watcher name, in configuration order
     * @param maxConsecutiveFailures each watcher's health threshold; 3 for a watcher not listed
     * @param stateFiles             each watcher's configured state file, for watchers that have one
     */
    ReactiveWatchers(Map<String, ReconcileDaemon<?>> daemons, Map<String, Integer> maxConsecutiveFailures,
            Map<String, Path> stateFiles) {
        this.daemons = Collections.unmodifiableMap(new LinkedHashMap<>(daemons));
        this.maxConsecutiveFailures = Map.copyOf(maxConsecutiveFailures);
        this.stateFiles = Map.copyOf(stateFiles);
    }

    /**
     * The watchers' names, in configuration order.
     *
     * @return the names
     */
    public Set<String> names() {
        return daemons.keySet();
    }

    /**
     * One watcher's daemon.
     *
     * @param name the watcher's name
     * @return its daemon, or {@code null} when there is no such watcher
     */
    public @Nullable ReconcileDaemon<?> daemon(String name) {
        return daemons.get(name);
    }

    /**
     * Every watcher's daemon by name, in configuration order.
     *
     * @return an unmodifiable map
     */
    public Map<String, ReconcileDaemon<?>> daemons() {
        return daemons;
    }

    /** How many failed ticks in a row a watcher's health tolerates. */
    int maxConsecutiveFailures(String name) {
        return maxConsecutiveFailures.getOrDefault(name, 3);
    }

    /**
     * Starts every watcher, in configuration order. If one fails to start, those already started are stopped
     * and startup fails with a message naming the watcher's {@code state-file} when its state file was the
     * cause (a file that is not a state file of ours, one that cannot be read, or a first write that failed),
     * else its {@code roots}.
     */
    @Override
    public void start() {
        List<ReconcileDaemon<?>> started = new ArrayList<>();
        for (Map.Entry<String, ReconcileDaemon<?>> e : daemons.entrySet()) {
            try {
                e.getValue().start();
                started.add(e.getValue());
            } catch (RuntimeException failure) {
                started.forEach(ReconcileDaemon::close);
                throw startFailure(e.getKey(), failure);
            }
        }
        running = true;
    }

    private WatcherConfigurationException startFailure(String name, RuntimeException failure) {
        String p = WatcherFactory.PREFIX + name + ".";
        String reason = "watcher '" + name + "' could not start: " + failure.getMessage();
        Path stateFile = stateFiles.get(name);
        if (stateFile != null && concernsStateFile(failure, stateFile)) {
            return new WatcherConfigurationException(p + "state-file", stateFile, reason,
                    "Point " + p + "state-file at another file, or move the file there away if nothing needs it.",
                    failure);
        }
        return new WatcherConfigurationException(p + "roots", null, reason,
                "Check " + p + "roots and " + p + "backend.", failure);
    }

    /**
     * Whether a start failure is the state file's: the core refuses a file it does not own or cannot read with
     * an {@link IllegalStateException} naming the file, and one whose first write fails with one saying so.
     */
    static boolean concernsStateFile(RuntimeException failure, Path stateFile) {
        String message = failure.getMessage();
        return failure instanceof IllegalStateException && message != null
                && (message.contains(stateFile.toAbsolutePath().normalize().toString())
                        || message.startsWith("cannot write the state file"));
    }

    /** Stops every watcher and waits for them. */
    @Override
    public void stop() {
        Flux.fromIterable(daemons.values()).flatMap(ReconcileDaemon::stop).blockLast();
        running = false;
    }

    /**
     * Stops every watcher at once and calls {@code callback} when all have stopped and persisted their state.
     *
     * @param callback told when every watcher has stopped
     */
    @Override
    public void stop(Runnable callback) {
        Flux.fromIterable(daemons.values())
                .flatMap(d -> d.stop().onErrorResume(e -> reactor.core.publisher.Mono.empty()))
                .doFinally(s -> {
                    running = false;
                    callback.run();
                })
                .subscribe();
    }

    /**
     * Whether the watchers were started and not stopped yet.
     *
     * @return {@code true} while running
     */
    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * {@value #PHASE}.
     *
     * @return the phase
     */
    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Stops watchers the lifecycle did not stop (a context that failed to refresh), waiting for each. */
    @Override
    public void destroy() {
        daemons.values().forEach(ReconcileDaemon::close);
    }
}
