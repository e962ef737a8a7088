package io.reactivewatch.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Turns a stream of {@link SourceEvent}s into coalesced, single-flight reconciliation.
 *
 * <pre>{@code
 * ReconcileDaemon<Void> daemon = ReconcileDaemon.builder(tick -> reindex(tick.changes()))
 *         .source(changes)                       // Flux<SourceEvent>
 *         .window(Duration.ofMillis(50))
 *         .build();
 * daemon.start();
 * ...
 * daemon.stop().block();
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Single flight.</b> At most one {@link Reconciler#reconcile} runs at a time. Every trigger (source,
 *       poll timer, {@link #tickNow()}, start-up, retry, continuation) goes through the same path.</li>
 *   <li><b>At most one pending rerun.</b> Whatever arrives while a reconcile runs becomes one rerun holding
 *       the union (policy {@link BusyPolicy#QUEUE}).</li>
 *   <li><b>No lost change.</b> Each event is merged into the pending set the moment it arrives; the
 *       coalescing window only decides when the next reconcile starts. A failed, timed-out or cancelled
 *       reconcile puts its change set back. Changes over the per-tick budget run in an immediate
 *       {@link Trigger#CONTINUATION} tick. Only {@link BusyPolicy#DROP} discards, and counts what it drops.</li>
 *   <li><b>Failure isolation.</b> A reconciler that throws, errors or times out yields a {@link TickResult}
 *       with that outcome; a {@link Trigger#RETRY} tick follows with exponential backoff. The daemon never
 *       ends because of its reconciler.</li>
 *   <li><b>Prompt shutdown.</b> {@link #stop()} ends the source at once (even mid-window), lets a running
 *       reconcile finish within the grace period and then cancels it, persists what is pending, and
 *       completes.</li>
 * </ul>
 *
 * <h2>Time and threads</h2>
 * Every timer runs on the daemon's {@link Builder#scheduler scheduler} ({@code Schedulers.parallel()} by
 * default, obtained when {@link Builder#build()} runs), so {@code StepVerifier.withVirtualTime} controls
 * all of it when the daemon is built inside the supplier. Status timestamps come from the same scheduler.
 * State files are written on the {@link Builder#ioScheduler io scheduler}. The reconciler runs where its
 * {@code Mono} says.
 *
 * @param <R> the reconciler's result type
 */
public final class ReconcileDaemon<R> implements AutoCloseable {

    private final DaemonConfig<R> config;
    private final FlightEngine<R> engine;

    private ReconcileDaemon(DaemonConfig<R> config) {
        this.config = config;
        this.engine = new FlightEngine<>(config);
    }

    /**
     * Starts building a daemon around a reconciler.
     *
     * @param reconciler the user code run once per tick
     * @param <R>        its result type
     * @return a builder with the defaults listed on each setter
     * @throws IllegalArgumentException if {@code reconciler} is {@code null}
     */
    public static <R> Builder<R> builder(Reconciler<R> reconciler) {
        if (reconciler == null) {
            throw new IllegalArgumentException("reconciler must not be null");
        }
        return new Builder<>(reconciler);
    }

    /**
     * Loads persisted state (if a store is set), restores the source's section and queues a
     * {@link Trigger#STARTUP} tick when there is something to deliver, then subscribes to the source.
     * May block on file I/O. A daemon starts once.
     *
     * @throws IllegalStateException if it was started or stopped before
     */
    public void start() {
        engine.start();
    }

    /**
     * Stops the daemon: ends the source and timers at once, lets a running reconcile finish within the stop
     * grace period (then cancels it, and its changes stay pending), persists pending changes, and completes.
     * Manual ticks still queued fail with {@link IllegalStateException}. Idempotent; lazy (nothing happens
     * until subscribed).
     *
     * @return a {@code Mono} that completes when the daemon has fully stopped
     */
    public Mono<Void> stop() {
        return engine.stop();
    }

    /**
     * Stops the daemon and waits for it, up to the stop grace period plus ten seconds.
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
     * Requests a {@link Trigger#MANUAL} tick through the single-flight path. When a reconcile is running the
     * request joins the one pending rerun; concurrent calls may share one tick.
     *
     * @return the result of the tick that carried this request; fails with {@link IllegalStateException} if
     *         the daemon is not running or stops before the tick starts
     */
    public Mono<TickResult<R>> tickNow() {
        return engine.tickNow();
    }

    /**
     * The results of all ticks from now on. Hot: a subscriber sees the ticks that finish after it
     * subscribed; one that does not keep up misses results (apply {@code onBackpressureBuffer()} to keep them
     * all). Completes when the daemon stops.
     *
     * @return a hot flux of tick results
     */
    public Flux<TickResult<R>> ticks() {
        return engine.ticks();
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
     * Completes when the daemon stops.
     *
     * @return a hot flux of snapshots replaying the latest
     */
    public Flux<DaemonStatus> statusUpdates() {
        return engine.statusUpdates();
    }

    /**
     * Configures a {@link ReconcileDaemon}. Each setter validates its argument at once and names the setting
     * it rejects; {@link #build()} checks combinations.
     *
     * @param <R> the reconciler's result type
     */
    public static final class Builder<R> {
        private final Reconciler<R> reconciler;
        private Flux<? extends SourceEvent> source = Flux.never();
        private Trigger sourceTrigger = Trigger.WATCH;
        private Duration window = Duration.ofMillis(50);
        private int maxBatch = 10_000;
        private Duration settle;
        private Duration maxWait;
        private BusyPolicy busyPolicy = BusyPolicy.QUEUE;
        private int maxChangesPerTick = Integer.MAX_VALUE;
        private Duration tickTimeout;
        private Duration retryMin = Duration.ofSeconds(1);
        private Duration retryMax = Duration.ofMinutes(1);
        private Duration pollInterval;
        private Scheduler scheduler;
        private Scheduler ioScheduler;
        private Duration stopGracePeriod = Duration.ofSeconds(10);
        private StateStore stateStore;
        private SourceState sourceState;
        private Supplier<SourceDescription> sourceDescription = () -> SourceDescription.NONE;
        private boolean tickOnStart;
        private Duration persistInterval = Duration.ofSeconds(1);

        private Builder(Reconciler<R> reconciler) {
            this.reconciler = reconciler;
        }

        /**
         * The events to reconcile. Default: none (the daemon then ticks only on {@link #tickNow()}, the poll
         * timer and start-up). The daemon subscribes once, at {@link ReconcileDaemon#start()}, and cancels at
         * stop. An error from the source is recorded in status ({@code backendError}) and ends only the
         * source.
         *
         * @param source the events
         * @return this builder
         * @throws IllegalArgumentException if {@code source} is {@code null}
         */
        public Builder<R> source(Flux<? extends SourceEvent> source) {
            this.source = requireArg("source", source);
            return this;
        }

        /**
         * The trigger that source events carry: {@link Trigger#WATCH} (default) or {@link Trigger#POLL}.
         *
         * @param trigger the trigger
         * @return this builder
         * @throws IllegalArgumentException if {@code trigger} is not WATCH or POLL
         */
        public Builder<R> sourceTrigger(Trigger trigger) {
            if (trigger != Trigger.WATCH && trigger != Trigger.POLL) {
                throw new IllegalArgumentException("sourceTrigger must be WATCH or POLL, was " + trigger);
            }
            this.sourceTrigger = trigger;
            return this;
        }

        /**
         * The coalescing window: a tick starts at most this long after the first event of a burst, even if
         * events keep coming. Default 50 ms.
         *
         * @param window a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code window} is null, zero or negative
         */
        public Builder<R> window(Duration window) {
            this.window = Settings.requirePositive("window", window);
            return this;
        }

        /**
         * The most events one window holds; a full window closes at once. Default 10,000.
         *
         * @param maxBatch at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxBatch} is below 1
         */
        public Builder<R> maxBatch(int maxBatch) {
            this.maxBatch = Settings.requirePositive("maxBatch", maxBatch);
            return this;
        }

        /**
         * Quiet-period mode instead of the window: a tick starts once no event arrived for {@code quiet}, or
         * {@code maxWait} after the first pending event. Default off.
         *
         * @param quiet   the quiet period, positive
         * @param maxWait the longest wait, not shorter than {@code quiet}
         * @return this builder
         * @throws IllegalArgumentException if a duration is not positive or {@code maxWait < quiet}
         */
        public Builder<R> settle(Duration quiet, Duration maxWait) {
            Settings.requirePositive("settle", quiet);
            Settings.requirePositive("maxWait", maxWait);
            if (maxWait.compareTo(quiet) < 0) {
                throw new IllegalArgumentException("maxWait (" + maxWait + ") must not be shorter than settle ("
                        + quiet + ")");
            }
            this.settle = quiet;
            this.maxWait = maxWait;
            return this;
        }

        /**
         * What to do with changes that arrive while a reconcile runs. Default {@link BusyPolicy#QUEUE}.
         *
         * @param policy the policy
         * @return this builder
         * @throws IllegalArgumentException if {@code policy} is {@code null}
         */
        public Builder<R> busyPolicy(BusyPolicy policy) {
            this.busyPolicy = requireArg("busyPolicy", policy);
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
            this.maxChangesPerTick = Settings.requirePositive("maxChangesPerTick", max);
            return this;
        }

        /**
         * How long one reconcile may run before it is cancelled as {@link Outcome#TIMED_OUT}. Default none.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is null, zero or negative
         */
        public Builder<R> tickTimeout(Duration timeout) {
            this.tickTimeout = Settings.requirePositive("tickTimeout", timeout);
            return this;
        }

        /**
         * The retry backoff after failures: {@code min}, doubling per consecutive failure, capped at
         * {@code max}. Default 1 s to 1 min.
         *
         * @param min the first delay, positive
         * @param max the cap, not below {@code min}
         * @return this builder
         * @throws IllegalArgumentException if a duration is not positive or {@code max < min}
         */
        public Builder<R> retryBackoff(Duration min, Duration max) {
            Settings.requirePositive("retryBackoff min", min);
            Settings.requirePositive("retryBackoff max", max);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("retryBackoff max (" + max + ") must not be below min (" + min + ")");
            }
            this.retryMin = min;
            this.retryMax = max;
            return this;
        }

        /**
         * Periodic {@link Trigger#POLL} ticks, even with no change. Default off.
         *
         * @param interval a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is null, zero or negative
         */
        public Builder<R> pollInterval(Duration interval) {
            this.pollInterval = Settings.requirePositive("pollInterval", interval);
            return this;
        }

        /**
         * The scheduler of every timer and of status timestamps. Default {@code Schedulers.parallel()}, as
         * it is when {@link #build()} runs.
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws IllegalArgumentException if {@code scheduler} is {@code null}
         */
        public Builder<R> scheduler(Scheduler scheduler) {
            this.scheduler = requireArg("scheduler", scheduler);
            return this;
        }

        /**
         * The scheduler for blocking state-file writes. Default {@code Schedulers.boundedElastic()}, as it is
         * when {@link #build()} runs.
         *
         * @param scheduler the scheduler
         * @return this builder
         * @throws IllegalArgumentException if {@code scheduler} is {@code null}
         */
        public Builder<R> ioScheduler(Scheduler scheduler) {
            this.ioScheduler = requireArg("ioScheduler", scheduler);
            return this;
        }

        /**
         * How long {@link ReconcileDaemon#stop()} lets a running reconcile finish before cancelling it.
         * Default 10 s.
         *
         * @param grace zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code grace} is null or negative
         */
        public Builder<R> stopGracePeriod(Duration grace) {
            this.stopGracePeriod = Settings.requireNonNegative("stopGracePeriod", grace);
            return this;
        }

        /**
         * Persist state here: pending changes and the source's section, written after ticks (at most once
         * per persist interval) and at stop, and loaded at start. Default none.
         *
         * @param store the store, such as {@link StateStore#file(java.nio.file.Path)}
         * @return this builder
         * @throws IllegalArgumentException if {@code store} is {@code null}
         */
        public Builder<R> stateStore(StateStore store) {
            this.stateStore = requireArg("stateStore", store);
            return this;
        }

        /**
         * The source's part of the persisted state. Default none.
         *
         * @param sourceState the handler
         * @return this builder
         * @throws IllegalArgumentException if {@code sourceState} is {@code null}
         */
        public Builder<R> sourceState(SourceState sourceState) {
            this.sourceState = requireArg("sourceState", sourceState);
            return this;
        }

        /**
         * What the source says about itself in {@link DaemonStatus}. Called on status snapshots from any
         * thread; it must be cheap and must not call back into the daemon. Default
         * {@link SourceDescription#NONE}.
         *
         * @param description the supplier
         * @return this builder
         * @throws IllegalArgumentException if {@code description} is {@code null}
         */
        public Builder<R> sourceDescription(Supplier<SourceDescription> description) {
            this.sourceDescription = requireArg("sourceDescription", description);
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
            this.tickOnStart = tickOnStart;
            return this;
        }

        /**
         * The least time between two state writes, so a storm of ticks is not a storm of writes. Default 1 s.
         *
         * @param interval zero or more
         * @return this builder
         * @throws IllegalArgumentException if {@code interval} is null or negative
         */
        public Builder<R> persistInterval(Duration interval) {
            this.persistInterval = Settings.requireNonNegative("persistInterval", interval);
            return this;
        }

        /**
         * Builds the daemon; it does nothing until {@link ReconcileDaemon#start()}.
         *
         * @return the daemon
         * @throws IllegalStateException if {@code sourceState} is set without a {@code stateStore}
         */
        public ReconcileDaemon<R> build() {
            if (sourceState != null && stateStore == null) {
                throw new IllegalStateException("sourceState needs a stateStore to persist to");
            }
            return new ReconcileDaemon<>(new DaemonConfig<>(reconciler, source, sourceTrigger, window, maxBatch,
                    settle, maxWait, busyPolicy, maxChangesPerTick, tickTimeout, retryMin, retryMax, pollInterval,
                    scheduler != null ? scheduler : Schedulers.parallel(),
                    ioScheduler != null ? ioScheduler : Schedulers.boundedElastic(),
                    stopGracePeriod, stateStore, sourceState, sourceDescription, tickOnStart, persistInterval));
        }

        private static <T> T requireArg(String name, T value) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not be null");
            }
            return value;
        }
    }
}
