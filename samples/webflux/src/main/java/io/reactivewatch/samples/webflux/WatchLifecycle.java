package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.ReconcileDaemon;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the daemon with the application and stops it gracefully at shutdown: it stops watching at once,
 * lets a running reconcile finish within the grace period, persists the state, and only then reports
 * stopped.
 *
 * <p>Its phase is the default, the latest to start and the first to stop: the web server is already up when
 * watching begins, and at shutdown the daemon stops before the server does, which completes the live tick
 * streams so the server's graceful shutdown need not wait for them. A daemon runs once: a context that
 * restarts its lifecycle beans gets an error from the second start.
 */
final class WatchLifecycle implements SmartLifecycle {

    private final ReconcileDaemon<LineCount> daemon;
    private volatile boolean running;

    WatchLifecycle(ReconcileDaemon<LineCount> daemon) {
        this.daemon = daemon;
    }

    @Override
    public void start() {
        daemon.start();
        running = true;
    }

    @Override
    public void stop() {
        daemon.close();
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        daemon.stop().subscribe(null, e -> {
            running = false;
            callback.run();
        }, () -> {
            running = false;
            callback.run();
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
