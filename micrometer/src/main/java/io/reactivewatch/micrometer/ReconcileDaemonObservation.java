package io.reactivewatch.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.TickResult;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * One {@link Observation} per tick of a {@link ReconcileDaemon}, so a tracing bridge records one span per
 * reconcile and an observation handler can time it.
 *
 * <p>The observation {@value #NAME} starts when the daemon is about to call the reconciler
 * ({@link ReconcileDaemon#tickStarts()}) and stops when the tick's result arrives
 * ({@link ReconcileDaemon#ticks()}), both on the daemon's worker. Its contextual name is
 * {@code watch <watcher>}; low-cardinality key values {@code watcher}, {@code outcome} and {@code trigger}
 * (as in {@link ReconcileDaemonMetrics}), high-cardinality {@code tick} (the tick number) and
 * {@code changes} (how many). A {@code failed} or {@code timed-out} tick records its error. A tick whose
 * reconcile was never called (cancelled at stop before it started) has no observation. The observation is
 * not made current around the reconciler's own code: the reconciler runs where its {@code Mono} says.
 */
public final class ReconcileDaemonObservation {

    /** The observation's name. */
    public static final String NAME = "reactive.watch.tick";

    private ReconcileDaemonObservation() {
    }

    /**
     * Observes every tick that starts from now on.
     *
     * @param daemon   the daemon
     * @param watcher  its name, the {@code watcher} key value
     * @param registry where observations go; with {@link ObservationRegistry#NOOP} nothing is recorded
     * @return a handle whose {@code dispose()} stops observing (the subscriptions also end when the daemon
     *         stops)
     * @throws NullPointerException if an argument is {@code null}
     */
    public static Disposable observe(ReconcileDaemon<?> daemon, String watcher, ObservationRegistry registry) {
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(registry, "registry");
        Map<Long, Observation> running = new ConcurrentHashMap<>();
        Disposable starts = daemon.tickStarts().subscribe(tick -> {
            Observation o = Observation.createNotStarted(NAME, registry)
                    .contextualName("watch " + watcher)
                    .lowCardinalityKeyValue(ReconcileDaemonMetrics.WATCHER_TAG, watcher)
                    .lowCardinalityKeyValue("trigger", ReconcileDaemonMetrics.trigger(tick))
                    .highCardinalityKeyValue("tick", Long.toString(tick.number()))
                    .highCardinalityKeyValue("changes", Integer.toString(tick.changes().size()));
            running.put(tick.number(), o.start());
        }, e -> { });
        Disposable results = daemon.ticks().subscribe(r -> finish(running.remove(r.tick().number()), r), e -> { });
        return Disposables.composite(starts, results, () -> running.values().forEach(Observation::stop));
    }

    private static void finish(Observation o, TickResult<?> r) {
        if (o == null) {
            return;
        }
        o.lowCardinalityKeyValue("outcome", r.outcome().wireName());
        if ((r.outcome() == Outcome.FAILED || r.outcome() == Outcome.TIMED_OUT) && r.error() != null) {
            o.error(r.error());
        }
        o.stop();
    }
}
