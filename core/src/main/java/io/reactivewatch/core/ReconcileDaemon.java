package io.reactivewatch.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Turns the events of a {@link ChangeSource} into coalesced, single-flight reconciliation.
 *
 * <pre>{@code
 * ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(tick -> reindex(tick.changes()))
 *         .source(changes)                       // a ChangeSource, or any Flux<SourceEvent>
 *         .coalescing(Coalescing.window(Duration.ofMillis(50)))
 *         .build();
 * daemon.start();
 * ...
 * daemon.stop().block();
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Single flight.</b> At most one {@link Reconciler#reconcile} runs at a time. Every trigger (source,
 *       periodic timer, {@link #tickNow()}, start-up, retry, continuation) goes through the same state
 *       machine.</li>
 *   <li><b>At most one pending rerun.</b> Whatever arrives while a reconcile runs becomes one rerun holding
 *       the union (policy {@link BusyPolicy#QUEUE}).</li>
 *   <li><b>No lost change.</b> Each event is merged into the pending set the moment it arrives; coalescing
 *       only decides when the next reconcile starts. A failed, timed-out or cancelled reconcile puts its
 *       change set back. Changes over the per-tick budget run in an immediate {@link Trigger#CONTINUATION}
 *       tick. Only {@link BusyPolicy#DROP} discards, and counts what it drops.</li>
 *   <li><b>Failure isolation.</b> A reconciler that throws, errors or times out yields a {@link TickResult}
 *       with that outcome; the {@link RetryPolicy} decides whether a {@link Trigger#RETRY} tick follows. The
 *       daemon never ends because of its reconciler.</li>
 *   <li><b>Prompt shutdown.</b> {@link #stop()} ends the source at once (even mid-window), lets a running
 *       reconcile finish within the grace period and then cancels it, persists what is pending, and
 *       completes.</li>
 *   <li><b>Memory bounded by paths, not events.</b> Pending changes are one entry per distinct path, and
 *       coalescing keeps only a count of the open batch, so a burst of a million events on a thousand paths
 *       holds a thousand entries. No count cap is needed for that; the default window has none.</li>
 * </ul>
 *
 * <h2>Time and threads</h2>
 * Every timer runs on the daemon's {@link Builder#scheduler scheduler} ({@code Schedulers.parallel()} by
 * default, obtained when {@link Builder#build()} runs), so {@code StepVerifier.withVirtualTime} controls
 * all of it when the daemon is built inside the supplier. Status timestamps come from the same scheduler.
 * The reconciler is subscribed, and subscribers of {@link #ticks()} and {@link #statusUpdates()} are called,
 * on one worker of that scheduler, never on a source's thread and never under a lock of the daemon. A
 * running reconcile is cancelled (busy policy {@code RESTART}, tick timeout, stop) on the
 * {@link Builder#ioScheduler I/O scheduler}, where its cancel handler may block until it has released its
 * resources; the next tick starts only after the handler returned. State files are written on the I/O
 * scheduler too. The reconciler runs where its {@code Mono} says: blocking work belongs on
 * {@code subscribeOn(Schedulers.boundedElastic())} or a scheduler of your own.
 *
 * @param <R> the reconciler's result type
 */
public final class ReconcileDaemon<R> implements AutoCloseable {

    private final DaemonConfig<R> config;
    private final FlightEngine<R> engine;

    private ReconcileDaemon(DaemonConfig<R> config) {
        this.config = config;
        this.engine = new FlightEngine<>(config, Sinks.many().multicast().directBestEffort());
    }

    /**
     * Starts building a daemon around a reconciler.
     *
     * @param reconciler the user code run once per tick
     * @param <R>        its result type
     * @return a builder with the defaults listed on each setter
     * @throws NullPointerException if {@code reconciler} is {@code null}
     */
    public static <R> Builder<R> builder(Reconciler<R> reconciler) {
        return new Builder<>(Checks.requireNonNull("reconciler", reconciler));
    }

    /**
     * Loads persisted state (if a store is set), opens the source with its persisted section, queues a
     * {@link Trigger#STARTUP} tick when there is something to deliver, then subscribes to the source. Blocks
     * for the source's {@link ChangeSource#open open} (a filesystem source walks its trees). A daemon starts
     * once.
     *
     * @throws IllegalStateException if it was started or stopped before; if the state store refuses its file
     *                               (not a state file of ours, or unreadable: {@link StateStore.Loaded#refusal()});
     *                               or if the baseline cannot be written ({@code "cannot write the state file
     *                               FILE: …"} for {@link StateStore#file}, the one report of it: no log warning
     *                               beside it). In the last two cases the daemon is then terminated
     * @throws RuntimeException      what the source's {@code open} threw; the daemon is then terminated
     */
    public void start() {
        engine.start();
    }

    /**
     * Stops the daemon: ends the source and timers at once, lets a running reconcile finish within the stop
     * grace period (then cancels it, and its changes stay pending), persists pending changes, closes the
     * source, and completes. Manual ticks still queued fail with {@link IllegalStateException}. Idempotent;
     * lazy (nothing happens until subscribed). Stopping a daemon that never started completes at once and
     * writes nothing.
     *
     * @return a {@code Mono} that completes when the daemon has fully stopped
     */
    public Mono<Void> stop() {
        return engine.stop();
    }

    /**
     * Stops the daemon and waits for it, up to the stop grace period plus ten seconds; then gives up waiting,
     * cancels a reconcile still running and terminates.
     */
    @Override
    public void close() {
        Duration wait = config.stopGracePeriod().plusSeconds(10);
        try {
            stop().block(wait);
        } catch (IllegalStateException timeout) {
            engine.dispose();
        }
    }

    /**
     * Requests a {@link Trigger#MANUAL} tick through the single-flight path, after a {@link #sync()}: the
     * tick includes every change the source could see before this call. When a reconcile is running the
     * request joins the one pending rerun; concurrent calls may share one tick. While a {@link #hold} is open
     * the tick waits for the last hold to close.
     *
     * @return the result of the tick that carried this request; fails with {@link IllegalStateException} if
     *         the daemon is not running or stops before the tick starts
     */
    public Mono<TickResult<R>> tickNow() {
        return engine.tickNow();
    }

    /**
     * Waits until the source has handed over every change made before this call (its
     * {@link ChangeSource#sync()}), so that the next tick, or a {@link #tickNow()} after it, includes them. A
     * filesystem source writes a cookie file into each root and waits until its own watcher reports it. A
     * source that cannot tell completes at once. The wait is bounded by the builder's
     * {@link Builder#syncTimeout(Duration) syncTimeout}: then it completes anyway and a warning is logged.
     *
     * @return a {@code Mono} that completes once the source caught up or the timeout passed; fails with
     *         {@link IllegalStateException} if the daemon is not running
     */
    public Mono<Void> sync() {
        return engine.sync();
    }

    /**
     * Opens a {@link HoldMode#DEFER} hold: until it is closed no tick starts (a running one finishes), and
     * changes keep merging into pending; when the last open hold closes, one tick carries everything that
     * arrived meanwhile. Manual, periodic and retry ticks wait as well. Holds nest, and appear in
     * {@link DaemonStatus#holds()} by reason. A hold may be opened before {@link #start()} (then even the
     * start-up tick waits for it); after stop it has no effect. A daemon stopped while held persists what is
     * pending, so nothing is lost.
     *
     * @param reason why ticks are held, shown in status (for example {@code "deploying"})
     * @return the open hold; close it to release
     * @throws NullPointerException if {@code reason} is {@code null}
     */
    public Hold hold(String reason) {
        return hold(reason, HoldMode.DEFER);
    }

    /**
     * Opens a hold of the given mode: {@link HoldMode#DEFER} as {@link #hold(String)}, or
     * {@link HoldMode#DROP}, which also discards (and counts) the changes that arrive while it is open.
     *
     * @param reason why ticks are held, shown in status
     * @param mode   what happens to changes that arrive meanwhile
     * @return the open hold; close it to release
     * @throws NullPointerException if an argument is {@code null}
     */
    public Hold hold(String reason, HoldMode mode) {
        return engine.hold(Checks.requireNonNull("reason", reason), Checks.requireNonNull("mode", mode));
    }

    /**
     * The results of all ticks from now on. Hot: a subscriber sees the ticks that finish after it
     * subscribed; one that does not keep up misses results (apply {@code onBackpressureBuffer()} to keep them
     * all). Subscribers are called on the daemon's scheduler. Completes when the daemon stops.
     *
     * @return a hot flux of tick results
     */
    public Flux<TickResult<R>> ticks() {
        return engine.ticks();
    }

    /**
     * The ticks whose reconcile starts from now on, each emitted on the daemon's worker right before
     * {@link Reconciler#reconcile} is called for it, so a subscriber can open a span or a timer that the
     * matching {@link #ticks()} result (same {@link Tick#number()}) closes. Hot, like {@link #ticks()}: a
     * subscriber sees the starts after it subscribed, and one that does not keep up misses some. A tick that is
     * cancelled before its reconcile was called (at stop, while its state could not be written) has a result
     * but no start. Completes when the daemon stops.
     *
     * @return a hot flux of ticks about to be reconciled
     */
    public Flux<Tick> tickStarts() {
        return engine.tickStarts();
    }

    /**
     * The daemon's status now.
     *
     * @return an immutable snapshot
     */
    public DaemonStatus status() {
        return engine.status();
    }

    /**
     * Status snapshots as they change: the latest one at once, then one per batch, tick start and tick end.
     * Subscribers are called on the daemon's scheduler. Completes when the daemon stops.
     *
     * @return a hot flux of snapshots replaying the latest
     */
    public Flux<DaemonStatus> statusUpdates() {
        return engine.statusUpdates();
    }

    /**
     * Configures a {@link ReconcileDaemon}, or a single-flight transformer. Each option is set once: each
     * setter validates its argument at once and names the setting it rejects (a {@code null} argument is a
     * {@link NullPointerException}, a bad value an {@link IllegalArgumentException}); {@link #build()} checks
     * combinations and rejects an option set twice with an {@link IllegalStateException} naming both values.
     *
     * @param <R> the reconciler's result type
     */
    public static final class Builder<R> {
        private final Reconciler<R> reconciler;
        private final List<String> conflicts = new ArrayList<>();
        private ChangeSource source;
        private Coalescing coalescing;
        private BusyPolicy busyPolicy;
        private Integer maxChangesPerTick;
        private Duration tickTimeout;
        private RetryPolicy retry;
        private Duration tickInterval;
        private Scheduler scheduler;
        private Scheduler ioScheduler;
        private Duration stopGracePeriod;
        private StateStore stateStore;
        private Boolean tickOnStart;
        private Duration persistInterval;
        private Duration syncTimeout;

        private Builder(Reconciler<R> reconciler) {
            this.reconciler = reconciler;
        }

        /** Records a second setting of one option, for build() to reject. */
        private <T> T once(String name, Object previous, T value) {
            if (previous != null) {
                conflicts.add(name + " was set twice: " + previous + " and " + value);
            }
            return value;
        }

        /**
         * Where the changes come from, such as the filesystem module's {@code FileSource}. Default: none (the
         * daemon then ticks only on {@link ReconcileDaemon#tickNow()}, the periodic timer and start-up). The
         * daemon opens it at {@link ReconcileDaemon#start()}, subscribes to its events once, cancels them at
         * stop and closes it after.
         *
         * @param source the source
         * @return this builder
         * @throws NullPointerException     if {@code source} is {@code null}
         * @throws IllegalArgumentException if its {@link ChangeSource#trigger()} is not WATCH or POLL
         */
        public Builder<R> source(ChangeSource source) {
            Checks.requireNonNull("source", source);
            Trigger t = source.trigger();
            if (t != Trigger.WATCH && t != Trigger.POLL) {
                throw new IllegalArgumentException("a source's trigger must be WATCH or POLL, was " + t);
            }
            this.source = once("source", this.source, source);
            return this;
        }

        /**
         * Where the changes come from: a plain stream of events, with no persisted section. Same as
         * {@code source(ChangeSource.of(events))}.
         *
         * @param events the events
         * @return this builder
         * @throws NullPointerException if {@code events} is {@code null}
         */
        public Builder<R> source(Flux<? extends SourceEvent> events) {
            return source(ChangeSource.of(events));
        }

        /**
         * How bursts become ticks. Default {@link Coalescing#defaults()}: a 50 ms window that never closes
         * by count, so a burst inside one window is one tick. Memory is bounded by the distinct paths pending,
         * not by the number of events.
         *
         * @param coalescing a window or a settle
         * @return this builder
         * @throws NullPointerException if {@code coalescing} is {@code null}
         */
        public Builder<R> coalescing(Coalescing coalescing) {
            this.coalescing = once("coalescing", this.coalescing, Checks.requireNonNull("coalescing", coalescing));
            return this;
        }

        /**
         * Shorthand for {@code coalescing(Coalescing.window(window))}.
         *
         * @param window a positive duration
         * @return this builder
         * @throws NullPointerException     if {@code window} is null
         * @throws IllegalArgumentException if {@code window} is zero or negative
         */
        public Builder<R> window(Duration window) {
            return coalescing(Coalescing.window(window));
        }

        /**
         * Shorthand for {@code coalescing(Coalescing.settle(quiet, maxWait))}.
         *
         * @param quiet   the quiet period, positive
         * @param maxWait the longest wait, not shorter than {@code quiet}
         * @return this builder
         * @throws NullPointerException     if an argument is null
         * @throws IllegalArgumentException if a duration is not positive or {@code maxWait < quiet}
         */
        public Builder<R> settle(Duration quiet, Duration maxWait) {
            return coalescing(Coalescing.settle(quiet, maxWait));
        }

        /**
         * What to do with changes that arrive while a reconcile runs. Default {@link BusyPolicy#QUEUE}.
         *
         * @param policy the policy
         * @return this builder
         * @throws NullPointerException if {@code policy} is {@code null}
         */
        public Builder<R> busyPolicy(BusyPolicy policy) {
            this.busyPolicy = once("busyPolicy", this.busyPolicy, Checks.requireNonNull("busyPolicy", policy));
            return this;
        }

        /**
         * The per-tick budget: the most changes one tick holds. The rest stays pending and runs at once in a
         * {@link Trigger#CONTINUATION} tick. Default unlimited.
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code max} is below 1
         */
        public Builder<R> maxChangesPerTick(int max) {
            this.maxChangesPerTick = once("maxChangesPerTick", this.maxChangesPerTick,
                    Checks.requirePositive("maxChangesPerTick", max));
            return this;
        }

        /**
         * How long one reconcile may run before it is cancelled as {@link Outcome#TIMED_OUT}. Default none.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder<R> tickTimeout(Duration timeout) {
            this.tickTimeout = once("tickTimeout", this.tickTimeout, Checks.requirePositive("tickTimeout", timeout));
            return this;
        }

        /**
         * What follows a failed or timed-out tick. Default {@link RetryPolicy#defaults()}: backoff from 1 s to
         * 1 min. Either way the tick's changes stay pending.
         *
         * @param retry the policy
         * @return this builder
         * @throws NullPointerException if {@code retry} is {@code null}
         */
        public Builder<R> retry(RetryPolicy retry) {
            this.retry = once("retry", this.retry, Checks.requireNonNull("retry", retry));
            return this;
        }

        /**
         * Periodic {@link Trigger#POLL} ticks, even with no change (not to be confused with a polling source's
         * scan interval). Default off.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws NullPointerException     if {@code interval} is null
         * @throws IllegalArgumentException if {@code interval} is zero or negative
         */
        public Builder<R> tickInterval(Duration interval) {
            this.tickInterval = once("tickInterval", this.tickInterval, Checks.requirePositive("tickInterval", interval));
            return this;
        }

        /**
         * The scheduler of every timer, of the engine's steps (the reconciler is subscribed there) and of
         * status timestamps. Default {@code Schedulers.parallel()}, as it is when {@link #build()} runs.
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws NullPointerException if {@code scheduler} is {@code null}
         */
        public Builder<R> scheduler(Scheduler scheduler) {
            this.scheduler = once("scheduler", this.scheduler, Checks.requireNonNull("scheduler", scheduler));
            return this;
        }

        /**
         * The scheduler for blocking work: state-file writes and cancelling a running reconcile. Default
         * {@code Schedulers.boundedElastic()}, as it is when {@link #build()} runs.
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws NullPointerException if {@code scheduler} is {@code null}
         */
        public Builder<R> ioScheduler(Scheduler scheduler) {
            this.ioScheduler = once("ioScheduler", this.ioScheduler, Checks.requireNonNull("ioScheduler", scheduler));
            return this;
        }

        /**
         * How long {@link ReconcileDaemon#stop()} lets a running reconcile finish before cancelling it.
         * Default 10 s.
         *
         * @param grace zero or more
         * @return this builder
         * @throws NullPointerException     if {@code grace} is null
         * @throws IllegalArgumentException if {@code grace} is negative
         */
        public Builder<R> stopGracePeriod(Duration grace) {
            this.stopGracePeriod = once("stopGracePeriod", this.stopGracePeriod,
                    Checks.requireNonNegative("stopGracePeriod", grace));
            return this;
        }

        /**
         * Persist state here: pending changes and the source's section, written after ticks (at most once
         * per persist interval) and at stop, and loaded at start. Default none.
         *
         * @param store the store, such as {@link StateStore#file(java.nio.file.Path)}
         * @return this builder
         * @throws NullPointerException if {@code store} is {@code null}
         */
        public Builder<R> stateStore(StateStore store) {
            this.stateStore = once("stateStore", this.stateStore, Checks.requireNonNull("stateStore", store));
            return this;
        }

        /**
         * Whether to run a {@link Trigger#STARTUP} tick at start even when nothing changed while the daemon
         * was down. Default {@code false}: the start-up tick runs only for persisted or start-up changes.
         *
         * @param tickOnStart whether to tick unconditionally at start
         * @return this builder
         */
        public Builder<R> tickOnStart(boolean tickOnStart) {
            this.tickOnStart = once("tickOnStart", this.tickOnStart, tickOnStart);
            return this;
        }

        /**
         * The least time between two state writes, so a storm of ticks is not a storm of writes. Default 1 s.
         *
         * @param interval zero or more
         * @return this builder
         * @throws NullPointerException     if {@code interval} is null
         * @throws IllegalArgumentException if {@code interval} is negative
         */
        public Builder<R> persistInterval(Duration interval) {
            this.persistInterval = once("persistInterval", this.persistInterval,
                    Checks.requireNonNegative("persistInterval", interval));
            return this;
        }

        /**
         * The longest {@link ReconcileDaemon#sync()} (and so {@link ReconcileDaemon#tickNow()}) waits for the
         * source to catch up before it goes on with what the source has seen, logging a warning. Default 5 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is zero or negative
         */
        public Builder<R> syncTimeout(Duration timeout) {
            this.syncTimeout = once("syncTimeout", this.syncTimeout, Checks.requirePositive("syncTimeout", timeout));
            return this;
        }

        /**
         * Builds the daemon; it does nothing until {@link ReconcileDaemon#start()}.
         *
         * @return the daemon
         * @throws IllegalStateException if an option was set twice
         */
        public ReconcileDaemon<R> build() {
            return new ReconcileDaemon<>(config());
        }

        /**
         * Builds single flight alone, as a transformer for already coalesced change sets:
         * {@code changeSets.transform(builder.buildSingleFlight())}. Each subscription runs its own engine with
         * the daemon's guarantees (single flight, at most one pending rerun, the busy and retry policies, the
         * budget, the timeout); each upstream change set is one batch. The result flux is backpressured per
         * subscriber (buffered, never dropped). When the upstream completes, what is pending is reconciled,
         * then the flux completes (with {@link RetryPolicy#none()}, a failed last tick ends it: its result
         * carries the changes). Cancelling the subscription stops the engine like
         * {@link ReconcileDaemon#stop()}; with no state store, what was pending then is gone.
         *
         * @return the transformer
         * @throws IllegalStateException if an option was set twice, or a daemon-only option is set (source,
         *                               coalescing, state store, start-up tick, periodic ticks)
         */
        public Function<Flux<ChangeSet>, Flux<TickResult<R>>> buildSingleFlight() {
            List<String> daemonOnly = new ArrayList<>();
            if (source != null) {
                daemonOnly.add("source");
            }
            if (coalescing != null) {
                daemonOnly.add("coalescing");
            }
            if (stateStore != null) {
                daemonOnly.add("stateStore");
            }
            if (tickOnStart != null) {
                daemonOnly.add("tickOnStart");
            }
            if (tickInterval != null) {
                daemonOnly.add("tickInterval");
            }
            if (!daemonOnly.isEmpty()) {
                throw new IllegalStateException("a single-flight transformer takes already coalesced change sets; "
                        + "these options belong to a daemon: " + String.join(", ", daemonOnly));
            }
            DaemonConfig<R> cfg = config();
            return changeSets -> Flux.defer(() -> {
                Sinks.Many<TickResult<R>> out = Sinks.many().unicast().onBackpressureBuffer();
                FlightEngine<R> engine = new FlightEngine<>(cfg, out);
                return out.asFlux()
                        .doOnSubscribe(s -> engine.startWith(changeSets))
                        .doOnCancel(() -> engine.stop().subscribe(v -> { }, e -> { }));
            });
        }

        private DaemonConfig<R> config() {
            if (!conflicts.isEmpty()) {
                throw new IllegalStateException(String.join("; ", conflicts));
            }
            return new DaemonConfig<>(reconciler,
                    source != null ? source : ChangeSource.of(Flux.never()),
                    coalescing != null ? coalescing : Coalescing.defaults(),
                    busyPolicy != null ? busyPolicy : BusyPolicy.QUEUE,
                    maxChangesPerTick != null ? maxChangesPerTick : Integer.MAX_VALUE,
                    tickTimeout,
                    retry != null ? retry : RetryPolicy.defaults(),
                    tickInterval,
                    scheduler != null ? scheduler : Schedulers.parallel(),
                    ioScheduler != null ? ioScheduler : Schedulers.boundedElastic(),
                    stopGracePeriod != null ? stopGracePeriod : Duration.ofSeconds(10),
                    stateStore,
                    tickOnStart != null && tickOnStart,
                    persistInterval != null ? persistInterval : Duration.ofSeconds(1),
                    syncTimeout != null ? syncTimeout : Duration.ofSeconds(5));
        }
    }
}
