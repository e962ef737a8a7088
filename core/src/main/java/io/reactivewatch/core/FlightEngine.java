package io.reactivewatch.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

/**
 * All mutable state of one daemon run (or one subscription of a single-flight transformer), and the steps
 * that move it.
 *
 * <pre>
 * source thread:  event ─► offer (merge into pending, under lock) ─► coalesce ─► batch closed ─► request
 * any thread:     tickNow, periodic tick, retry timer ─────────────────────────────────────────► request
 * worker:         request ⇒ drain ─► tick ─► reconcile ─► finish ─► (drain again if required)
 * io scheduler:   cancel a running reconcile (restart, timeout, stop), persist
 * </pre>
 * Single flight is the {@link FlightState} machine: every transition happens under {@link #lock}, and a
 * drain is scheduled only on a transition into {@link FlightState#REQUIRED}, so at most one is outstanding
 * and no tick can start while one runs. Every step that touches user code or publishes (drain, finish,
 * status and result emission) runs on one {@link Scheduler.Worker} of the daemon's scheduler, so those steps
 * are serialized, subscribers of {@code ticks()} and {@code statusUpdates()} run there, and the reconciler
 * is subscribed there, never on a source's thread. Cancelling a reconcile runs on the I/O scheduler, since a
 * cancel handler may block until its resources are released; the tick finishes only after it returned.
 * Nothing is called or emitted while holding {@link #lock}.
 */
final class FlightEngine<R> {

    private static final System.Logger LOG = System.getLogger(FlightEngine.class.getName());

    private final DaemonConfig<R> cfg;
    private final Object lock = new Object();
    private final Scheduler.Worker worker;
    private final Sinks.Empty<Void> stopSignal = Sinks.empty();
    private final Sinks.Empty<Void> terminated = Sinks.empty();
    private final Sinks.Many<TickResult<R>> results;
    private final Sinks.Many<DaemonStatus> statuses = Sinks.many().replay().latest();
    private final Sinks.Many<Tick> starts = Sinks.many().multicast().directBestEffort();

    // ---- guarded by lock ----
    private final PendingChanges pending = new PendingChanges();
    private final EnumSet<Trigger> pendingTriggers = EnumSet.noneOf(Trigger.class);
    /** The triggers that ask for a tick even with an empty change set: manual, periodic, start-up. */
    private final EnumSet<Trigger> unconditional = EnumSet.noneOf(Trigger.class);
    private final DaemonStats stats = new DaemonStats();
    private List<Sinks.One<TickResult<R>>> manualWaiters = new ArrayList<>();
    /** Open holds, oldest first. */
    private final List<OpenHold> holds = new ArrayList<>();
    private Lifecycle lifecycle = Lifecycle.NEW;
    private FlightState flight = FlightState.IDLE;
    private Instant startedAt;
    private Running current;
    private long tickNumber;
    /** The upstream of a transformer completed: reconcile what is pending, then terminate. */
    private boolean completing;
    private boolean persistScheduled;
    /** Held for a whole write, outside {@link #lock}: writes never overlap, so journal records stay in order. */
    private final Object persistLock = new Object();
    /** Guarded by persistLock: whether the next write must be a full save rather than a journal record. */
    private boolean fullSaveDue = true;
    /** Guarded by persistLock: why the last write failed, as the start-up failure says it; null after a success. */
    private String persistFailureAtStart;
    private Disposable persistTimer;
    private Disposable backoffTimer;
    private Disposable graceTimer;
    private final List<Disposable> inputs = new ArrayList<>();

    FlightEngine(DaemonConfig<R> cfg, Sinks.Many<TickResult<R>> results) {
        this.cfg = cfg;
        this.results = results;
        this.worker = cfg.scheduler().createWorker();
    }

    /** One running reconcile. Its fields are touched on the worker, except {@link #subscription}. */
    private final class Running {
        final Tick tick;
        /** When the reconcile was subscribed (a tick may first wait for its state write). */
        Instant startedAt;
        final List<Sinks.One<TickResult<R>>> waiters;
        /** Set by the worker when it subscribes the reconcile, before any cancel of it can run. */
        Disposable subscription;
        Disposable timeout;
        /** The next try to make the tick durable, while its state cannot be written. */
        Disposable durableRetry;
        R value;
        boolean cancelRequested;
        boolean done;

        Running(Tick tick, Instant startedAt, List<Sinks.One<TickResult<R>>> waiters) {
            this.tick = tick;
            this.startedAt = startedAt;
            this.waiters = waiters;
        }
    }

    /**
     * The daemon's time as an Instant. Read in milliseconds: a real scheduler's nanosecond clock counts from
     * an arbitrary origin (System.nanoTime), its millisecond clock from the epoch; virtual time drives both.
     */
    private Instant now() {
        return Instant.ofEpochMilli(cfg.scheduler().now(TimeUnit.MILLISECONDS));
    }

    // ------------------------------------------------------------------ lifecycle

    /** Starts a daemon: loads state, opens the source, subscribes to it. */
    void start() {
        synchronized (lock) {
            lifecycle = lifecycle.on(Lifecycle.Event.START);
            startedAt = now();
        }
        ChangeSource source = cfg.source();
        StateStore store = cfg.stateStore();
        StateStore.Loaded loaded = store == null ? StateStore.Loaded.none() : store.load();
        if (loaded.refusal() != null) {
            failStart();
            throw new IllegalStateException(loaded.refusal());
        }
        DaemonState state = loaded.state();
        SourceContext context = new SourceContext(state == null ? null : state.source(),
                state == null ? List.of() : loaded.sourceChanges(), store == null ? p -> false : store::owns,
                loaded.corrupt(), state != null, this::hold);
        List<SourceEvent> startup;
        List<Change> truth = null;
        try {
            startup = Objects.requireNonNullElse(source.open(context), List.of());
            if (state != null && (!state.delivering().isEmpty() || !state.pendingChanges().isEmpty())) {
                // The uncertain tick's paths, and the pending ones: the section is taken before the pending
                // set, so a change can be pending that the section never saw, and diffed against it such a
                // path can be invented or its deletion lost. What the path is now tells.
                Set<Path> asked = new LinkedHashSet<>();
                state.delivering().forEach(c -> asked.add(c.path()));
                state.pendingChanges().forEach(c -> asked.add(c.path()));
                truth = source.currentTruth(new ArrayList<>(asked));
            }
        } catch (RuntimeException | Error e) {
            // A source cleans up after its own failed open; closing it here could close a source that another
            // daemon opened (a source handed to two daemons is refused by its second open).
            failStart();
            throw e;
        }
        synchronized (lock) {
            if (state != null) {
                tickNumber = Math.max(0, state.tickCount());
                pending.addAll(state.pending());
            }
            if (loaded.corrupt()) {
                pending.markRescan();
                pendingTriggers.add(Trigger.RESCAN);
                stats.lastError = loaded.warning();
                stats.rescans++;
            }
            for (SourceEvent e : startup) {
                pending.add(e);
                if (e instanceof Rescan) {
                    pendingTriggers.add(Trigger.RESCAN);
                    stats.rescans++;
                }
            }
            if (state != null) {
                // The tick that was running when the state was written may or may not have reached the
                // reconciler: its paths go out again as they are now, never netted against the rest.
                ChangeSet uncertain = ChangeSet.of(state.delivering());
                pending.putBack(uncertain);
                ChangeSet waiting = state.pending();
                for (Change now : truth == null ? List.<Change>of() : truth) {
                    Change told = uncertain.get(now.path()).orElse(null);
                    Change was = told != null ? told : waiting.get(now.path()).orElse(null);
                    if (was == null) {
                        continue;
                    }
                    // The uncertain tick may have reached the reconciler, so it may know its paths whatever the
                    // tick said: they go out as modified or deleted, which no later change nets away (as
                    // "created", a deletion after it would cancel it, before the start-up tick runs or at the
                    // next crash). A pending change says exactly what the reconciler knows.
                    Change resolved = resolve(told != null || was.kind() != ChangeKind.CREATED, was, now);
                    if (resolved == null) {
                        pending.remove(now.path());
                    } else {
                        pending.force(resolved);
                    }
                }
            }
            if (!pending.isEmpty() || cfg.tickOnStart()) {
                pendingTriggers.add(Trigger.STARTUP);
                unconditional.add(Trigger.STARTUP);
            }
        }
        // The baseline is on disk before start() returns: a crash in the very first tick loses nothing. A
        // failure here is the start's exception alone, not also a warning in the log.
        if (!persistNow(false)) {
            String why;
            synchronized (persistLock) {
                why = persistFailureAtStart;
            }
            try {
                source.close();
            } finally {
                failStart();
            }
            throw new IllegalStateException(why);
        }
        Trigger trigger = source.trigger();
        Flux<Integer> batches = source.events()
                .takeUntilOther(stopSignal.asMono())
                .filter(e -> offer(e, trigger))
                .transform(cfg.coalescing().batchSizes(cfg.scheduler()));
        attach(batches);
    }

    /**
     * What to tell the reconciler about a path after a restart, from whether it may know the path and what
     * the path is now; the source's section plays no part, since it may be older than what was persisted.
     *
     * @param known whether the reconciler may know the path
     * @param was   the persisted change (its type names a path that is gone)
     * @param now   the source's truth
     * @return the change that brings the reconciler to the truth, or {@code null} when it cannot know the path
     *         and the path is gone
     */
    private static @Nullable Change resolve(boolean known, Change was, Change now) {
        if (now.kind() == ChangeKind.DELETED) {
            return known ? new Change(now.path(), ChangeKind.DELETED, was.type()) : null;
        }
        return new Change(now.path(), known ? ChangeKind.MODIFIED : ChangeKind.CREATED, now.type());
    }

    private void failStart() {
        synchronized (lock) {
            lifecycle = Lifecycle.TERMINATED;
        }
        worker.dispose();
        completeFluxes();
    }

    /** Starts a single-flight transformer on already coalesced change sets: each one is a batch. */
    void startWith(Flux<ChangeSet> changeSets) {
        synchronized (lock) {
            lifecycle = lifecycle.on(Lifecycle.Event.START);
            startedAt = now();
        }
        Flux<Integer> batches = changeSets
                .takeUntilOther(stopSignal.asMono())
                .filter(this::offer)
                .map(ChangeSet::size)
                .doOnComplete(() -> onWorker(this::onUpstreamComplete));
        attach(batches);
    }

    private void attach(Flux<Integer> batches) {
        Disposable fromSource = batches.subscribe(this::onBatch, this::onSourceError);
        Disposable fromTimer = cfg.tickInterval() == null ? null
                : Flux.interval(cfg.tickInterval(), cfg.tickInterval(), cfg.scheduler())
                        .takeUntilOther(stopSignal.asMono())
                        .subscribe(i -> onPeriodicTick());
        boolean kick;
        synchronized (lock) {
            inputs.add(fromSource);
            if (fromTimer != null) {
                inputs.add(fromTimer);
            }
            kick = !pendingTriggers.isEmpty();
        }
        onWorker(this::emitStatus);
        if (kick) {
            request();
        }
    }

    Mono<Void> stop() {
        return Mono.defer(() -> {
            Lifecycle before;
            List<Sinks.One<TickResult<R>>> orphans;
            synchronized (lock) {
                before = lifecycle;
                lifecycle = lifecycle.on(Lifecycle.Event.STOP);
                orphans = manualWaiters;
                manualWaiters = new ArrayList<>();
            }
            if (before == Lifecycle.NEW) {
                // Never ran: nothing to persist, and persisting would overwrite the last run's state.
                worker.dispose();
                completeFluxes();
            } else if (before == Lifecycle.STARTED) {
                stopSignal.tryEmitEmpty();
                IllegalStateException stopped = new IllegalStateException("daemon stopped before the manual tick ran");
                orphans.forEach(w -> w.tryEmitError(stopped));
                onWorker(this::onStopRequested);
            }
            return terminated.asMono();
        });
    }

    /** Gives up waiting: cancels a running reconcile where it stands and terminates. */
    void dispose() {
        stop().subscribe(v -> { }, e -> { });
        Running run;
        synchronized (lock) {
            run = current;
        }
        if (run != null && run.subscription != null) {
            run.subscription.dispose();
        }
        cfg.ioScheduler().schedule(this::terminate);
    }

    /** On the worker, once stop() ran. */
    private void onStopRequested() {
        Running run;
        synchronized (lock) {
            disposeTimers();
            run = current;
        }
        if (run == null) {
            cfg.ioScheduler().schedule(this::terminate);
            return;
        }
        Disposable grace = Mono.delay(cfg.stopGracePeriod(), cfg.scheduler())
                .subscribe(x -> cancel(run, Outcome.CANCELLED));
        synchronized (lock) {
            graceTimer = grace;
        }
    }

    /** On the worker: the transformer's upstream ended. */
    private void onUpstreamComplete() {
        synchronized (lock) {
            completing = true;
        }
        request();
    }

    private void disposeTimers() {
        for (Disposable d : new Disposable[] {persistTimer, backoffTimer}) {
            if (d != null) {
                d.dispose();
            }
        }
        persistTimer = null;
        backoffTimer = null;
    }

    /** On the I/O scheduler, once no tick runs: persists, closes the source, completes everything. */
    private void terminate() {
        List<Disposable> toDispose;
        synchronized (lock) {
            if (lifecycle == Lifecycle.TERMINATED) {
                return;
            }
            lifecycle = lifecycle.on(Lifecycle.Event.TERMINATE);
            disposeTimers();
            if (graceTimer != null) {
                graceTimer.dispose();
            }
            toDispose = new ArrayList<>(inputs);
        }
        toDispose.forEach(Disposable::dispose);
        persistNow();
        closeSource();
        onWorker(() -> {
            emitStatus();
            completeFluxes();
            worker.dispose();
        });
        if (worker.isDisposed()) {
            completeFluxes(); // dispose() raced with a worker that was already gone
        }
    }

    private void completeFluxes() {
        starts.tryEmitComplete();
        results.tryEmitComplete();
        statuses.tryEmitComplete();
        terminated.tryEmitEmpty();
    }

    private void closeSource() {
        try {
            cfg.source().close();
        } catch (RuntimeException e) {
            synchronized (lock) {
                stats.lastError = "could not close the source: " + describe(e);
            }
        }
    }

    // ------------------------------------------------------------------ intake

    /** Merges one source event into pending on arrival, on the source's thread. False: DROP discards it. */
    private boolean offer(SourceEvent event, Trigger trigger) {
        synchronized (lock) {
            stats.eventsSeen++;
            stats.lastEventMillis = cfg.scheduler().now(TimeUnit.MILLISECONDS);
            if (cfg.busyPolicy() == BusyPolicy.DROP && flight.running()) {
                stats.droppedChanges++;
                return false;
            }
            if (droppedByHolds(1)) {
                return false;
            }
            if (event instanceof Rescan) {
                stats.rescans++;
                pendingTriggers.add(Trigger.RESCAN);
            }
            if (!pending.add(event) && event instanceof Change) {
                stats.coalescedEvents++;
            }
            pendingTriggers.add(trigger);
            return true;
        }
    }

    /** Merges one upstream change set (transformer mode). */
    private boolean offer(ChangeSet changes) {
        synchronized (lock) {
            stats.eventsSeen += changes.size();
            stats.lastEventMillis = cfg.scheduler().now(TimeUnit.MILLISECONDS);
            if (cfg.busyPolicy() == BusyPolicy.DROP && flight.running()) {
                stats.droppedChanges += changes.size();
                return false;
            }
            if (droppedByHolds(changes.size())) {
                return false;
            }
            if (changes.rescan()) {
                stats.rescans++;
                pendingTriggers.add(Trigger.RESCAN);
            }
            int before = pending.size();
            pending.addAll(changes);
            stats.coalescedEvents += Math.max(0, changes.size() - (pending.size() - before));
            pendingTriggers.add(Trigger.WATCH);
            return true;
        }
    }

    /** A coalesced batch closed: on the coalescer's thread (a source's or a timer's). */
    private void onBatch(int size) {
        Running toCancel = null;
        synchronized (lock) {
            stats.batchesSeen++;
            // Restart only for something new: the running tick may already hold this batch's events (a tick
            // that started mid-window drains them), and cancelling it would redo the same work.
            if (cfg.busyPolicy() == BusyPolicy.RESTART && current != null && !current.cancelRequested
                    && !pending.isEmpty()) {
                toCancel = current;
            }
        }
        if (toCancel != null) {
            cancel(toCancel, Outcome.CANCELLED);
        }
        request();
        onWorker(this::emitStatus);
    }

    private void onPeriodicTick() {
        synchronized (lock) {
            if (cfg.busyPolicy() == BusyPolicy.DROP && flight.running()) {
                return;
            }
            pendingTriggers.add(Trigger.POLL);
            unconditional.add(Trigger.POLL);
        }
        request();
    }

    private void onSourceError(Throwable e) {
        synchronized (lock) {
            stats.sourceError = "source failed: " + describe(e);
            stats.lastError = stats.sourceError;
        }
        onWorker(this::emitStatus);
    }

    /**
     * Under the lock: whether an open {@link HoldMode#DROP} hold discards {@code count} arriving events; each
     * open drop hold counts them, the daemon once.
     */
    private boolean droppedByHolds(long count) {
        boolean dropped = false;
        for (OpenHold h : holds) {
            if (h.mode() == HoldMode.DROP) {
                h.dropped += count;
                dropped = true;
            }
        }
        if (dropped) {
            stats.droppedChanges += count;
        }
        return dropped;
    }

    // ------------------------------------------------------------------ holds

    /** One open hold, with the engine's bookkeeping: {@link #dropped} is guarded by the lock. */
    private static final class OpenHold extends HoldHandle {
        final Instant since;
        long dropped;

        OpenHold(String reason, HoldMode mode, Instant since, Consumer<? super HoldHandle> release) {
            super(reason, mode, release);
            this.since = since;
        }
    }

    /** Any thread: opens a hold. A drain that finds it open parks the work instead of starting a tick. */
    Hold hold(String reason, HoldMode mode) {
        OpenHold h;
        synchronized (lock) {
            h = new OpenHold(reason, mode, now(), released -> release((OpenHold) released));
            if (lifecycle == Lifecycle.STARTED || lifecycle == Lifecycle.NEW) {
                holds.add(h);
            }
        }
        onWorker(this::emitStatus);
        return h;
    }

    /** Any thread, once per hold: the last release moves parked work back to a drain. */
    private void release(OpenHold h) {
        boolean drain = false;
        synchronized (lock) {
            if (!holds.remove(h)) {
                return;
            }
            if (holds.isEmpty() && flight == FlightState.HELD && lifecycle == Lifecycle.STARTED) {
                FlightState next = flight.on(FlightState.Event.RELEASE);
                drain = flight.schedulesDrain(next);
                flight = next;
            }
        }
        if (drain) {
            onWorker(this::drain);
        }
        onWorker(this::emitStatus);
    }

    // ------------------------------------------------------------------ manual ticks and sync

    /**
     * Any thread: completes once the source has handed over every change made before the call, or after the
     * sync timeout (with a warning), or at once for a source that cannot tell.
     */
    Mono<Void> sync() {
        return Mono.defer(() -> {
            synchronized (lock) {
                if (lifecycle != Lifecycle.STARTED) {
                    return Mono.error(new IllegalStateException(
                            lifecycle == Lifecycle.NEW ? "daemon is not started" : "daemon is stopped"));
                }
            }
            Mono<Void> caughtUp = Objects.requireNonNull(cfg.source().sync(), "source sync");
            return caughtUp
                    .timeout(cfg.syncTimeout(), cfg.scheduler())
                    .onErrorResume(e -> {
                        LOG.log(System.Logger.Level.WARNING, "sync: "
                                + (e instanceof java.util.concurrent.TimeoutException
                                        ? "the source did not catch up within " + cfg.syncTimeout().toMillis() + " ms"
                                        : describe(e))
                                + "; ticking with what it has seen");
                        return Mono.empty();
                    });
        });
    }

    Mono<TickResult<R>> tickNow() {
        return sync().then(manualTick());
    }

    private Mono<TickResult<R>> manualTick() {
        return Mono.defer(() -> {
            Sinks.One<TickResult<R>> waiter = Sinks.one();
            synchronized (lock) {
                if (lifecycle != Lifecycle.STARTED) {
                    return Mono.error(new IllegalStateException(
                            lifecycle == Lifecycle.NEW ? "daemon is not started" : "daemon is stopped"));
                }
                pendingTriggers.add(Trigger.MANUAL);
                unconditional.add(Trigger.MANUAL);
                manualWaiters.add(waiter);
            }
            request();
            return waiter.asMono();
        });
    }

    // ------------------------------------------------------------------ single flight

    /** Any thread: something may need a tick. Schedules a drain only on a transition into REQUIRED. */
    private void request() {
        boolean drain;
        synchronized (lock) {
            if (lifecycle == Lifecycle.TERMINATED) {
                return;
            }
            FlightState next = flight.on(FlightState.Event.REQUEST);
            drain = flight.schedulesDrain(next);
            if (next == FlightState.HELD) {
                stats.deferredTicks++;
            }
            flight = next;
        }
        if (drain) {
            onWorker(this::drain);
        }
    }

    /** On the worker: starts the next tick, or finds nothing to do. */
    private void drain() {
        Running run;
        boolean finishUp = false;
        boolean parked;
        synchronized (lock) {
            // Work that finds a hold open is parked, not taken: it keeps merging until the last hold closes.
            parked = lifecycle == Lifecycle.STARTED && !holds.isEmpty()
                    && (!pending.isEmpty() || !unconditional.isEmpty());
            Tick tick = lifecycle == Lifecycle.STARTED && !parked ? takeTick() : null;
            if (parked) {
                flight = flight.on(FlightState.Event.HOLD);
                stats.deferredTicks++;
                run = null;
            } else if (tick == null) {
                flight = flight.on(FlightState.Event.SKIP);
                finishUp = completing && pending.isEmpty() && lifecycle == Lifecycle.STARTED;
                run = null;
            } else {
                List<Sinks.One<TickResult<R>>> waiters = List.of();
                if (tick.triggers().contains(Trigger.MANUAL)) {
                    waiters = manualWaiters;
                    manualWaiters = new ArrayList<>();
                }
                flight = flight.on(FlightState.Event.START);
                run = new Running(tick, now(), waiters);
                current = run;
            }
        }
        if (parked) {
            emitStatus();
            return;
        }
        if (run == null) {
            if (finishUp) {
                stop().subscribe(v -> { }, e -> { });
            }
            return;
        }
        emitStatus();
        if (cfg.stateStore() == null) {
            subscribe(run);
        } else {
            cfg.ioScheduler().schedule(() -> makeDurableThenSubscribe(run));
        }
    }

    /**
     * On the I/O scheduler: what the tick is about to deliver goes to disk before its reconcile starts, so a
     * crash at any later moment finds it (as uncertain). While the write fails, the tick waits, retried with
     * backoff, and status says why; it never delivers what it could not record.
     */
    private void makeDurableThenSubscribe(Running run) {
        if (persistNow()) {
            onWorker(() -> {
                if (!run.done && !run.cancelRequested) {
                    subscribe(run);
                }
            });
            return;
        }
        long failures;
        synchronized (lock) {
            if (run.done || run.cancelRequested || lifecycle != Lifecycle.STARTED) {
                return;
            }
            failures = stats.persistFailures;
            stats.lastError = stats.persistProblem + "; tick " + run.tick.number() + " waits until its changes are on disk";
        }
        onWorker(this::emitStatus);
        Disposable retry = Mono.delay(persistBackoff(failures), cfg.scheduler())
                .publishOn(cfg.ioScheduler())
                .subscribe(x -> makeDurableThenSubscribe(run), e -> { });
        synchronized (lock) {
            run.durableRetry = retry;
        }
    }

    /** Under the lock: the next tick from pending, or null when there is nothing to run. */
    private Tick takeTick() {
        if (pending.isEmpty() && pendingTriggers.isEmpty()) {
            return null;
        }
        ChangeSet changes = pending.drain(cfg.maxChangesPerTick());
        EnumSet<Trigger> triggers = pendingTriggers.isEmpty()
                ? EnumSet.of(Trigger.CONTINUATION) : EnumSet.copyOf(pendingTriggers);
        pendingTriggers.clear();
        if (changes.isEmpty() && unconditional.isEmpty()) {
            return null; // events that cancelled out (created then deleted) leave nothing to reconcile
        }
        unconditional.clear();
        if (!pending.isEmpty()) {
            pendingTriggers.add(Trigger.CONTINUATION);
        }
        return new Tick(++tickNumber, triggers, changes);
    }

    /** On the worker: subscribes the reconciler, outside every lock. */
    private void subscribe(Running run) {
        run.startedAt = now();
        starts.tryEmitNext(run.tick);
        if (cfg.tickTimeout() != null) {
            run.timeout = Mono.delay(cfg.tickTimeout(), cfg.scheduler())
                    .subscribe(x -> cancel(run, Outcome.TIMED_OUT));
        }
        Disposable d = Mono.defer(() -> Objects.requireNonNull(cfg.reconciler().reconcile(run.tick),
                        "reconciler returned null instead of a Mono"))
                .subscribe(
                        v -> run.value = v,
                        e -> onWorker(() -> finish(run, Outcome.FAILED, e)),
                        () -> onWorker(() -> finish(run, Outcome.OK, null)));
        run.subscription = d;
    }

    /**
     * Cancels a running reconcile on the I/O scheduler (its cancel handler may block until it released its
     * resources), then finishes the tick with {@code outcome} on the worker. Any thread. The request goes
     * through the worker first: the worker subscribed the reconcile, so by then its subscription exists and
     * the cancel cannot miss it.
     */
    private void cancel(Running run, Outcome outcome) {
        onWorker(() -> {
            synchronized (lock) {
                if (run.done || run.cancelRequested || current != run) {
                    return;
                }
                run.cancelRequested = true;
            }
            // Subscribed on the worker, so no subscribe can slip in after this point.
            Disposable subscription = run.subscription;
            if (run.durableRetry != null) {
                run.durableRetry.dispose();
            }
            cfg.ioScheduler().schedule(() -> {
                if (subscription != null) {
                    subscription.dispose(); // null: still waiting to be durable, the reconciler never ran
                }
                Throwable error = outcome == Outcome.TIMED_OUT ? new TickTimeoutException(cfg.tickTimeout()) : null;
                onWorker(() -> finish(run, outcome, error));
            });
        });
    }

    /** On the worker: how a tick ended, and what runs next. */
    private void finish(Running run, Outcome outcome, Throwable error) {
        if (run.done) {
            return; // already finished (a cancel raced with completion)
        }
        run.done = true;
        if (run.timeout != null) {
            run.timeout.dispose();
        }
        Tick tick = run.tick;
        TickResult<R> r = new TickResult<>(tick, outcome, outcome == Outcome.OK ? run.value : null, error,
                run.startedAt, now());
        boolean drain;
        boolean stopping;
        boolean finishUp;
        Duration backoff = null;
        synchronized (lock) {
            current = null;
            stats.finished(r);
            switch (outcome) {
                case OK:
                    break;
                case FAILED:
                case TIMED_OUT:
                    stats.lastError = describe(error);
                    pending.putBack(tick.changes());
                    if (tick.changes().rescan()) {
                        pendingTriggers.add(Trigger.RESCAN); // the marker went back; its trigger goes with it
                    }
                    if (!tick.changes().isEmpty() && cfg.retry().retries()) {
                        pendingTriggers.add(Trigger.RETRY);
                        backoff = cfg.retry().delayAfter(stats.consecutiveFailures);
                    }
                    break;
                case CANCELLED:
                    pending.putBack(tick.changes());
                    if (!tick.changes().isEmpty()) {
                        EnumSet<Trigger> keep = EnumSet.copyOf(tick.triggers());
                        keep.remove(Trigger.MANUAL);
                        pendingTriggers.addAll(keep.isEmpty() ? EnumSet.of(Trigger.CONTINUATION) : keep);
                    }
                    break;
                default:
                    throw new AssertionError(outcome);
            }
            stopping = lifecycle != Lifecycle.STARTED;
            if (backoff != null && !stopping) {
                flight = flight.on(FlightState.Event.FAIL_AND_RETRY);
            } else {
                backoff = null;
                flight = flight.on(FlightState.Event.FINISH);
                // The engine's own reasons to run again. Source changes wait for their own batch to close
                // (their window may still be open); a failed tick's changes with no retry wait for the next
                // request; a completing transformer reconciles what is left.
                boolean again = pendingTriggers.contains(Trigger.CONTINUATION)
                        || (completing && !pending.isEmpty() && outcome == Outcome.OK);
                if (again && !stopping) {
                    flight = flight.on(FlightState.Event.REQUEST);
                }
            }
            // Coming from a running state, being REQUIRED now is a transition into it: a drain is owed.
            drain = !stopping && flight == FlightState.REQUIRED;
            finishUp = !stopping && completing && flight == FlightState.IDLE;
        }
        results.tryEmitNext(r);
        run.waiters.forEach(w -> w.tryEmitValue(r));
        emitStatus();
        requestPersist();
        if (stopping) {
            cfg.ioScheduler().schedule(this::terminate);
        } else if (backoff != null) {
            Disposable timer = Mono.delay(backoff, cfg.scheduler())
                    .subscribe(x -> onWorker(this::onBackoffElapsed));
            synchronized (lock) {
                backoffTimer = timer;
            }
        } else if (drain) {
            onWorker(this::drain);
        } else if (finishUp) {
            // A transformer whose upstream ended and nothing is left to run (or, with no retry, nothing
            // will run again): end the flux.
            stop().subscribe(v -> { }, e -> { });
        }
    }

    private void onBackoffElapsed() {
        boolean drain;
        synchronized (lock) {
            backoffTimer = null;
            if (lifecycle != Lifecycle.STARTED || flight != FlightState.BACKING_OFF) {
                return;
            }
            FlightState next = flight.on(FlightState.Event.BACKOFF_ELAPSED);
            drain = flight.schedulesDrain(next);
            flight = next;
        }
        if (drain) {
            drain();
        }
    }

    // ------------------------------------------------------------------ persistence

    private void requestPersist() {
        if (cfg.stateStore() == null) {
            return;
        }
        synchronized (lock) {
            if (persistScheduled || lifecycle != Lifecycle.STARTED) {
                return;
            }
            persistScheduled = true;
            Duration delay = stats.persistProblem == null ? cfg.persistInterval()
                    : persistBackoff(stats.persistFailures).plus(cfg.persistInterval());
            persistTimer = Mono.delay(delay, cfg.scheduler())
                    .publishOn(cfg.ioScheduler())
                    .subscribe(x -> {
                        if (!persistNow()) {
                            requestPersist();
                        }
                    }, e -> { });
        }
    }

    /**
     * On the I/O scheduler (or the caller of start()). The source's checkpoint first, then pending: see
     * {@link ChangeSource}. A failure is recorded in status and logged once per episode, and once when a write
     * succeeds again.
     *
     * @return whether the state is on disk (true without a store)
     */
    private boolean persistNow() {
        return persistNow(true);
    }

    /** @param warn whether a failure that starts an episode (and the recovery that ends it) is logged */
    private boolean persistNow(boolean warn) {
        if (cfg.stateStore() == null) {
            return true;
        }
        // One write at a time: journal records must reach the disk in the order their changes were taken.
        synchronized (persistLock) {
            return persistSerially(warn);
        }
    }

    /**
     * A full save when the store keeps no journal, on the first write of a run, when the store asked to
     * compact, and after a failed write; otherwise one journal record with what changed since the last write.
     */
    private boolean persistSerially(boolean warn) {
        StateStore store = cfg.stateStore();
        boolean full = fullSaveDue || !store.appends();
        String section = null;
        String changes = null;
        String problem = null;
        try {
            if (!full) {
                changes = cfg.source().checkpointChanges();
                full = changes == null; // the source cannot tell what changed
            }
            if (full) {
                section = cfg.source().checkpoint();
            }
        } catch (RuntimeException e) {
            problem = "could not checkpoint the source: " + describe(e);
            persistFailureAtStart = "cannot write the state file: " + problem;
        }
        DaemonState state;
        synchronized (lock) {
            persistScheduled = false;
            persistTimer = null;
            ChangeSet waiting = pending.snapshot();
            ChangeSet delivering = current == null ? ChangeSet.empty() : current.tick.changes();
            state = new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, now(), tickNumber,
                    stats.lastTickAt, waiting.changes(), waiting.rescan() || delivering.rescan(),
                    delivering.changes(), section, cfg.runSettings());
        }
        if (problem == null) {
            try {
                if (full) {
                    store.save(state);
                    fullSaveDue = false;
                } else {
                    fullSaveDue = store.append(state, changes);
                }
            } catch (StateWriteException e) {
                // The store names the file the user chose; the failure under it may name a temporary file.
                problem = "could not persist state to " + e.file() + ": " + e.reason();
                persistFailureAtStart = "cannot write the state file " + e.file() + ": " + e.reason();
            } catch (IOException | RuntimeException e) {
                problem = "could not persist state: " + describe(e);
                persistFailureAtStart = "cannot write the state file: " + describe(e);
            }
        }
        if (problem == null) {
            persistFailureAtStart = null;
        } else {
            // What the source handed out for this write is not on disk: only a full section covers it again.
            fullSaveDue = true;
        }
        boolean firstFailure;
        boolean recovered;
        synchronized (lock) {
            firstFailure = problem != null && stats.persistProblem == null;
            recovered = problem == null && stats.persistProblem != null;
            if (problem != null) {
                stats.persistFailures++;
                stats.lastError = problem;
            } else if (recovered && stats.lastError != null && stats.lastError.startsWith(stats.persistProblem)) {
                stats.lastError = null;
            }
            stats.persistProblem = problem;
        }
        if (firstFailure && warn) {
            LOG.log(System.Logger.Level.WARNING, problem + "; retrying, and no tick starts until it succeeds");
        } else if (recovered && warn) {
            LOG.log(System.Logger.Level.WARNING, "state is persisted again to " + cfg.stateStore());
        }
        if (problem != null || recovered) {
            onWorker(this::emitStatus);
        }
        return problem == null;
    }

    /** The wait before the next try after {@code failures} consecutive failed writes: 100 ms doubling to 30 s. */
    private static Duration persistBackoff(long failures) {
        long millis = 100L << Math.min(failures - 1, 9);
        return Duration.ofMillis(Math.min(millis, 30_000));
    }

    // ------------------------------------------------------------------ status

    DaemonStatus status() {
        // Asked outside every lock of ours: the source may take its own lock here.
        SourceDescription src = Objects.requireNonNull(cfg.source().describe(), "source description");
        Coalescing c = cfg.coalescing();
        synchronized (lock) {
            boolean inFlight = current != null;
            return new DaemonStatus(
                    lifecycle == Lifecycle.STARTED,
                    startedAt,
                    src.watchPaths(),
                    src.backend(),
                    stats.sourceError != null ? stats.sourceError : src.backendError(),
                    c.isSettle() ? "settle" : "window",
                    c.period().toMillis(),
                    c.isSettle() ? c.maxWait().toMillis() : null,
                    c.maxBatch().isPresent() ? c.maxBatch().getAsInt() : null,
                    src.scanInterval() == null ? null : src.scanInterval().toMillis(),
                    cfg.tickInterval() == null ? null : cfg.tickInterval().toMillis(),
                    cfg.busyPolicy(),
                    cfg.retry().toString(),
                    inFlight,
                    !pending.isEmpty() || !pendingTriggers.isEmpty(),
                    pending.size(),
                    stats.eventsSeen,
                    stats.batchesSeen,
                    stats.coalescedEvents,
                    stats.droppedChanges,
                    stats.lastEventAt(),
                    stats.rescans,
                    tickNumber - (inFlight ? 1 : 0),
                    stats.lastTickAt,
                    stats.lastTickTrigger,
                    stats.lastTickDuration,
                    stats.lastTickChanges,
                    stats.lastOutcome,
                    stats.consecutiveFailures,
                    stats.lastError,
                    stats.persistFailures,
                    src.trackedFiles(),
                    src.trackedDirectories(),
                    holdStatuses(),
                    stats.deferredTicks);
        }
    }

    /** Under the lock. */
    private List<HoldStatus> holdStatuses() {
        if (holds.isEmpty()) {
            return List.of();
        }
        List<HoldStatus> out = new ArrayList<>(holds.size());
        for (OpenHold h : holds) {
            out.add(new HoldStatus(h.reason(), h.mode(), h.since, h.dropped));
        }
        return out;
    }

    /** Runs a step on the worker; a step offered after termination disposed it is dropped. */
    private void onWorker(Runnable step) {
        try {
            worker.schedule(step);
        } catch (RejectedExecutionException terminatedAlready) {
            // nothing runs after termination
        }
    }

    /** The single-flight state now, for tests. */
    FlightState flightState() {
        synchronized (lock) {
            return flight;
        }
    }

    Flux<TickResult<R>> ticks() {
        return results.asFlux();
    }

    Flux<Tick> tickStarts() {
        return starts.asFlux();
    }

    Flux<DaemonStatus> statusUpdates() {
        return statuses.asFlux();
    }

    /** On the worker only, so snapshots are published in order. */
    private void emitStatus() {
        statuses.tryEmitNext(status());
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return null;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
    }

    /** The timeout the daemon itself raised, told apart from a TimeoutException thrown by the reconciler. */
    static final class TickTimeoutException extends java.util.concurrent.TimeoutException {
        private static final long serialVersionUID = 1L;

        TickTimeoutException(Duration timeout) {
            super("reconcile did not finish within " + timeout.toMillis() + " ms");
        }
    }
}
