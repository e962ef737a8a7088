package io.reactivewatch.core;

/**
 * An open hold on a daemon's ticks, from {@link ReconcileDaemon#hold(String)}: while any hold is open no tick
 * starts (a tick already running finishes), and closing the last one releases a single tick carrying
 * everything that was deferred. Holds nest: each is closed on its own, in any order.
 *
 * <p>Use it with try-with-resources around work that leaves the tree inconsistent for a while:
 * <pre>{@code
 * try (Hold hold = daemon.hold("deploying")) {
 *     deploy();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} may be called from any thread, any number of times; only the first call
 * has an effect. A hold of a stopped daemon has no effect.
 */
public interface Hold extends AutoCloseable {

    /**
     * Why the hold was taken, as shown in {@link DaemonStatus#holds()}.
     *
     * @return the reason given to {@link ReconcileDaemon#hold(String, HoldMode)}
     */
    String reason();

    /**
     * What happens to changes that arrive while the hold is open.
     *
     * @return the mode
     */
    HoldMode mode();

    /**
     * Whether the hold is still open.
     *
     * @return {@code false} once {@link #close()} was called
     */
    boolean isOpen();

    /**
     * Releases the hold. When it was the last open one, and a tick was deferred, that tick is requested at
     * once (it still goes through single flight, after any running reconcile). Never throws.
     */
    @Override
    void close();
}
