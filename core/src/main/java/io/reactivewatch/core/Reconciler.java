package io.reactivewatch.core;

import reactor.core.publisher.Mono;

/**
 * User code that brings the world in line with a set of changes: re-index, reload, rebuild, sync.
 *
 * <p>The daemon calls {@link #reconcile(Tick)} for at most one tick at a time and subscribes to the returned
 * {@code Mono} once. The reconcile runs where the {@code Mono} says: the call and the subscription happen on a
 * worker of the daemon's scheduler (a parallel thread by default), so blocking work belongs on {@code subscribeOn(Schedulers.boundedElastic())} or a scheduler
 * of your own.
 *
 * <ul>
 *   <li>Completing (with or without a value) is outcome {@link Outcome#OK}; the change set is done.</li>
 *   <li>Throwing or signalling an error is {@link Outcome#FAILED}; the change set goes back into pending and
 *       the daemon's {@link RetryPolicy} decides whether a {@link Trigger#RETRY} tick follows after a backoff
 *       or the changes wait for the next tick.</li>
 *   <li>Running past the daemon's tick timeout cancels the {@code Mono}: {@link Outcome#TIMED_OUT}, handled
 *       the same way.</li>
 *   <li>The {@link BusyPolicy#RESTART} policy and shutdown cancel the {@code Mono}:
 *       {@link Outcome#CANCELLED}; its changes stay pending.</li>
 * </ul>
 * A cancel (restart, timeout, stop) reaches the {@code Mono} on the daemon's I/O scheduler; a cancel handler
 * may block there until the reconcile's resources are released (a process killed, a lock given back), and
 * the next tick starts only after it returned, so a reconcile never overlaps its own rerun.
 *
 * @param <R> what one reconcile produces (use {@code Void} for nothing)
 */
@FunctionalInterface
public interface Reconciler<R> {

    /**
     * Reconciles one tick.
     *
     * @param tick the changes and triggers; never {@code null}
     * @return a {@code Mono} that completes when the reconcile is done; must not be {@code null}
     */
    Mono<R> reconcile(Tick tick);
}
