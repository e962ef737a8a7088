package io.reactivewatch.spring.autoconfigure;

import io.reactivewatch.core.ReconcileDaemon;
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
    private volatile boolean running;

    ReactiveWatchers(Map<String, ReconcileDaemon<?>> daemons, Map<String, Integer> maxConsecutiveFailures) {
        this.daemons = Collections.unmodifiableMap(new LinkedHashMap<>(daemons));
        this.maxConsecutiveFailures = Map.copyOf(maxConsecutiveFailures);
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
     * and startup fails with a message naming the watcher's roots.
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
                throw new WatcherConfigurationException(WatcherFactory.PREFIX + e.getKey() + ".roots", null,
                        "watcher '" + e.getKey() + "' could not start: " + failure.getMessage(),
                        "Check the watcher's roots and state-file.", failure);
            }
        }
        running = true;
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
