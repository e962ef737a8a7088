package io.reactivewatch.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import reactor.core.Disposable;

/**
 * Binds one {@link ReconcileDaemon} to a {@link MeterRegistry}, without Spring:
 * {@code new ReconcileDaemonMetrics(daemon, "docs").bindTo(registry)} or
 * {@link #monitor(MeterRegistry, ReconcileDaemon, String, Iterable) monitor(registry, daemon, "docs")}.
 *
 * <p>Every meter carries the tag {@code watcher=<name>} plus the tags given here. Counters that the daemon
 * already keeps are read from its {@link ReconcileDaemon#status() status} when the registry polls (function
 * counters and gauges, nothing is counted twice); per-tick meters are recorded from
 * {@link ReconcileDaemon#ticks()} as each tick finishes, so only ticks that finish after binding are
 * recorded.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>extra tags</th><th>what</th></tr>
 *   <tr><td>{@code reactive.watch.events}</td><td>function counter</td><td></td><td>source events seen
 *       ({@link DaemonStatus#eventsSeen()})</td></tr>
 *   <tr><td>{@code reactive.watch.batches}</td><td>function counter</td><td></td><td>coalesced batches
 *       ({@link DaemonStatus#batchesSeen()})</td></tr>
 *   <tr><td>{@code reactive.watch.coalesced.events}</td><td>function counter</td><td></td><td>events merged
 *       into a path already pending</td></tr>
 *   <tr><td>{@code reactive.watch.dropped.changes}</td><td>function counter</td><td></td><td>events the
 *       {@code DROP} busy policy discarded</td></tr>
 *   <tr><td>{@code reactive.watch.rescans}</td><td>function counter</td><td></td><td>rescan markers</td></tr>
 *   <tr><td>{@code reactive.watch.persist.failures}</td><td>function counter</td><td></td><td>failed state
 *       writes ({@link DaemonStatus#persistFailures()})</td></tr>
 *   <tr><td>{@code reactive.watch.ticks}</td><td>counter</td><td>{@code outcome}, {@code trigger}</td>
 *       <td>finished ticks</td></tr>
 *   <tr><td>{@code reactive.watch.tick.duration}</td><td>timer (seconds)</td><td>{@code outcome},
 *       {@code trigger}</td><td>how long each reconcile ran</td></tr>
 *   <tr><td>{@code reactive.watch.tick.changes}</td><td>distribution summary ({@code changes})</td>
 *       <td></td><td>changes per tick</td></tr>
 *   <tr><td>{@code reactive.watch.pending.changes}</td><td>gauge</td><td></td><td>paths waiting in
 *       pending</td></tr>
 *   <tr><td>{@code reactive.watch.tracked.files}</td><td>gauge</td><td></td><td>paths the source
 *       tracks</td></tr>
 *   <tr><td>{@code reactive.watch.ticks.in.flight}</td><td>gauge</td><td></td><td>1 while a reconcile
 *       runs, else 0</td></tr>
 *   <tr><td>{@code reactive.watch.consecutive.failures}</td><td>gauge</td><td></td><td>ticks in a row that
 *       did not end {@code ok}</td></tr>
 * </table>
 * {@code outcome} is the outcome's wire name ({@code ok}, {@code failed}, {@code timed-out},
 * {@code cancelled}); {@code trigger} is the wire name of the tick's first trigger in {@link Trigger}
 * declaration order ({@code startup}, {@code watch}, {@code poll}, {@code manual}, {@code retry},
 * {@code continuation}, {@code rescan}), one value per tick so the number of series stays bounded.
 *
 * <p>The timer publishes no percentile histogram unless a {@code MeterFilter} asks for one (in Spring Boot:
 * {@code management.metrics.distribution.percentiles-histogram.reactive.watch.tick.duration=true}).
 *
 * <p>Like Micrometer's own binders, the function counters and gauges hold the daemon weakly: they do not
 * keep a discarded daemon alive. The per-tick subscription ends when the daemon stops, or with
 * {@link #close()}. For one span per tick, see {@link ReconcileDaemonObservation}.
 */
public final class ReconcileDaemonMetrics implements MeterBinder, AutoCloseable {

    /** The tag naming the watcher on every meter. */
    public static final String WATCHER_TAG = "watcher";

    private final ReconcileDaemon<?> daemon;
    private final String watcher;
    private final Tags tags;
    private final List<Disposable> subscriptions = new CopyOnWriteArrayList<>();

    /**
     * A binder for one daemon, tagged {@code watcher=<watcher>}.
     *
     * @param daemon  the daemon
     * @param watcher its name, the value of the {@code watcher} tag
     * @throws NullPointerException if an argument is {@code null}
     */
    public ReconcileDaemonMetrics(ReconcileDaemon<?> daemon, String watcher) {
        this(daemon, watcher, Tags.empty());
    }

    /**
     * A binder for one daemon, tagged {@code watcher=<watcher>} and with {@code tags}.
     *
     * @param daemon  the daemon
     * @param watcher its name, the value of the {@code watcher} tag
     * @param tags    more tags for every meter
     * @throws NullPointerException if an argument is {@code null}
     */
    public ReconcileDaemonMetrics(ReconcileDaemon<?> daemon, String watcher, Iterable<Tag> tags) {
        this.daemon = Objects.requireNonNull(daemon, "daemon");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
        this.tags = Tags.concat(Objects.requireNonNull(tags, "tags"), WATCHER_TAG, watcher);
    }

    /**
     * Binds a daemon's meters to a registry at once.
     *
     * @param registry the registry
     * @param daemon   the daemon
     * @param watcher  its name, the value of the {@code watcher} tag
     * @param tags     more tags for every meter
     * @return the binder, whose {@link #close()} ends the per-tick recording early
     * @throws NullPointerException if an argument is {@code null}
     */
    public static ReconcileDaemonMetrics monitor(MeterRegistry registry, ReconcileDaemon<?> daemon, String watcher,
            Iterable<Tag> tags) {
        ReconcileDaemonMetrics metrics = new ReconcileDaemonMetrics(daemon, watcher, tags);
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * The watcher's name, as tagged.
     *
     * @return the name
     */
    public String watcher() {
        return watcher;
    }

    /**
     * Registers the meters and starts recording finished ticks. May be called for several registries.
     *
     * @param registry the registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        counter(registry, "reactive.watch.events", "Source events the daemon has seen", DaemonStatus::eventsSeen);
        counter(registry, "reactive.watch.batches", "Coalesced batches the daemon has seen", DaemonStatus::batchesSeen);
        counter(registry, "reactive.watch.coalesced.events", "Events merged into a path that was already pending",
                DaemonStatus::coalescedEvents);
        counter(registry, "reactive.watch.dropped.changes", "Events discarded by the drop busy policy or a drop hold",
                DaemonStatus::droppedChanges);
        counter(registry, "reactive.watch.deferred.ticks", "Requests for a tick that found a hold open",
                DaemonStatus::deferredTicks);
        counter(registry, "reactive.watch.rescans", "Rescan markers the daemon has seen", DaemonStatus::rescans);
        counter(registry, "reactive.watch.persist.failures", "State writes that failed", DaemonStatus::persistFailures);
        gauge(registry, "reactive.watch.pending.changes", "Paths waiting for a tick", s -> s.pendingChanges());
        gauge(registry, "reactive.watch.tracked.files", "Paths the source tracks that are not directories",
                s -> s.trackedFiles());
        gauge(registry, "reactive.watch.tracked.directories", "Directories the source tracks below its roots",
                s -> s.trackedDirectories());
        gauge(registry, "reactive.watch.ticks.in.flight", "1 while a reconcile runs, else 0",
                s -> s.tickInFlight() ? 1 : 0);
        gauge(registry, "reactive.watch.consecutive.failures", "Ticks in a row that did not end ok",
                s -> s.consecutiveFailures());
        gauge(registry, "reactive.watch.holds", "Open holds; ticks wait while there is any", s -> s.holds().size());
        DistributionSummary changes = DistributionSummary.builder("reactive.watch.tick.changes")
                .description("Changes per tick")
                .baseUnit("changes")
                .tags(tags)
                .register(registry);
        subscriptions.add(daemon.ticks().subscribe(r -> record(registry, changes, r), e -> { }));
    }

    private void record(MeterRegistry registry, DistributionSummary changes, TickResult<?> r) {
        Tags tickTags = tags.and(Tag.of("outcome", r.outcome().wireName()), Tag.of("trigger", trigger(r.tick())));
        Counter.builder("reactive.watch.ticks")
                .description("Finished ticks")
                .tags(tickTags)
                .register(registry)
                .increment();
        Timer.builder("reactive.watch.tick.duration")
                .description("How long each reconcile ran")
                .tags(tickTags)
                .register(registry)
                .record(r.duration());
        changes.record(r.tick().changes().size());
    }

    /**
     * The tag value of a tick's trigger: its first trigger in declaration order.
     *
     * @param tick the tick
     * @return a wire name such as {@code watch}
     */
    static String trigger(Tick tick) {
        return tick.triggers().iterator().next().wireName();
    }

    private void counter(MeterRegistry registry, String name, String description,
            ToDoubleFunction<DaemonStatus> value) {
        FunctionCounter.builder(name, daemon, d -> value.applyAsDouble(d.status()))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<DaemonStatus> value) {
        Gauge.builder(name, daemon, d -> value.applyAsDouble(d.status()))
                .description(description)
                .tags(tags)
                .register(registry);
    }

    /** Stops recording finished ticks; the status-backed meters stay registered. Idempotent. */
    @Override
    public void close() {
        subscriptions.forEach(Disposable::dispose);
        subscriptions.clear();
    }
}
