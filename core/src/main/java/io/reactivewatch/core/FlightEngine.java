package io.reactivewatch.core;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;

/**
 * All mutable state of one daemon run, and the pipeline that drives it.
 *
 * <pre>
 * source ─► offer (merge into pending) ─► coalesce ─► dirty ─┐
 * poll timer, tickNow, retry, continuation ─► dirty ────────┤
 *                                     onBackpressureLatest ◄─┘ ─► concatMap(runOne, 0)
 * </pre>
 * Events are merged into {@link #pending} the moment they arrive; the coalesced batch only decides when the
 * payload-free dirty signal goes out. So a stop in the middle of a window, a crash after a persist, or a
 * dirty signal dropped by {@code onBackpressureLatest} can never lose a change. Lock order: {@link #emitLock}
 * may be held when taking {@link #lock}, never the reverse; nothing is emitted while holding {@link #lock}.
 */
final class FlightEngine<R> {

    private static final Object DIRTY = new Object();

    private final DaemonConfig<R> cfg;
    private final Object lock = new Object();
    private final Object emitLock = new Object();

    private final Sinks.Many<Object> dirty = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.One<Boolean> stopSignal = Sinks.one();
    private final Sinks.Empty<Void> terminated = Sinks.empty();
    private final Sinks.Many<TickResult<R>> results = Sinks.many().multicast().directBestEffort();
    private final Sinks.Many<DaemonStatus> statuses = Sinks.many().replay().latest();

    // ---- guarded by lock ----
    private final PendingChanges pending = new PendingChanges();
    private final EnumSet<Trigger> pendingTriggers = EnumSet.noneOf(Trigger.class);
    // The triggers that ask for a tick even with an empty change set: manual, poll timer, start-up.
    private final EnumSet<Trigger> unconditional = EnumSet.noneOf(Trigger.class);
    private List<Sinks.One<TickResult<R>>> queuedWaiters = new ArrayList<>();
    private boolean started;
    private boolean stopping;
    private boolean terminatedFlag;
    private Instant startedAt;
    private Tick current;
    private Sinks.One<Boolean> restart;
    private long tickNumber;
    private long retryAtNanos = Long.MIN_VALUE;
    private int consecutiveFailures;
    private boolean persistScheduled;
    private Disposable persistTimer;
    private Disposable subscription;
    private long eventsSeen;
    private long batchesSeen;
    private long coalescedEvents;
    private long droppedChanges;
    private long rescans;
    private long lastEventMillis = Long.MIN_VALUE; // a long, not an Instant: no allocation per event
    private Instant lastTickAt;
    private EnumSet<Trigger> lastTickTrigger = EnumSet.noneOf(Trigger.class);
    private Long lastTickDuration;
    private int lastTickChanges;
    private Outcome lastOutcome;
    private String lastError;
    private String sourceError;
    private long statusSeq;
    // ---- guarded by emitLock ----
    private long lastEmittedStatus;

    /**
     * The daemon's time as an Instant. Read in milliseconds: a real scheduler's nanosecond clock counts from
     * an arbitrary origin (System.nanoTime), its millisecond clock from the epoch; virtual time drives both.
     */
    private Instant now() {
        return Instant.ofEpochMilli(cfg.scheduler().now(TimeUnit.MILLISECONDS));
    }

    FlightEngine(DaemonConfig<R> cfg) {
        this.cfg = cfg;
    }

    // ------------------------------------------------------------------ lifecycle

    void start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("daemon already started; a daemon runs once, build a new one");
            }
            started = true;
            startedAt = now();
        }
        restoreState();

        Flux<Object> fromSource = cfg.source()
                .cast(SourceEvent.class)
                .takeUntilOther(stopSignal.asMono())
                .filter(this::offerEvent)
                .transform(coalescer())
                .map(this::onBatch)
                .onErrorResume(e -> {
                    recordSourceError(e);
                    return Flux.empty();
                });
        Flux<Object> fromPoll = cfg.pollInterval() == null ? Flux.empty()
                : Flux.interval(cfg.pollInterval(), cfg.pollInterval(), cfg.scheduler())
                        .takeUntilOther(stopSignal.asMono())
                        .filter(i -> offerPoll())
                        .map(i -> DIRTY);

        Disposable d = Flux.merge(fromSource, fromPoll, dirty.asFlux())
                .onBackpressureLatest()
                // Each tick starts on the daemon's scheduler: never on a source's thread (which may hold the
                // source's lock while it emits), never on a thread that called tickNow().
                .concatMap(signal -> runOne().subscribeOn(cfg.scheduler()), 0)
                .subscribe(r -> { }, this::onPipelineError, this::onPipelineComplete);
        synchronized (lock) {
            subscription = d;
        }
        boolean kick;
        synchronized (lock) {
            kick = !pendingTriggers.isEmpty();
        }
        emitStatus();
        if (kick) {
            emitDirty();
        }
    }

    private Function<Flux<SourceEvent>, Flux<List<SourceEvent>>> coalescer() {
        if (cfg.settle() != null) {
            return Coalescing.settle(cfg.settle(), cfg.maxWait(), cfg.maxBatch(), cfg.scheduler());
        }
        return Coalescing.window(cfg.maxBatch(), cfg.window(), cfg.scheduler());
    }

    private void restoreState() {
        StateStore.Loaded loaded = cfg.stateStore() == null ? StateStore.Loaded.none() : cfg.stateStore().load();
        JsonNode sourceSection = loaded.stateIfPresent().map(DaemonState::source).orElse(null);
        List<SourceEvent> startupChanges = List.of();
        String restoreError = null;
        if (cfg.sourceState() != null) {
            try {
                startupChanges = Objects.requireNonNullElse(cfg.sourceState().restore(sourceSection), List.of());
            } catch (RuntimeException e) {
                restoreError = "could not restore source state: " + describe(e);
            }
        }
        synchronized (lock) {
            loaded.stateIfPresent().ifPresent(s -> pending.addAll(s.pending()));
            if (loaded.corrupt() || restoreError != null) {
                pending.markRescan();
                pendingTriggers.add(Trigger.RESCAN);
                lastError = loaded.corrupt() ? loaded.warning() : restoreError;
                rescans++;
            }
            for (SourceEvent e : startupChanges) {
                pending.add(e);
                if (e instanceof Rescan) {
                    pendingTriggers.add(Trigger.RESCAN);
                    rescans++;
                }
            }
            if (!pending.isEmpty() || cfg.tickOnStart()) {
                pendingTriggers.add(Trigger.STARTUP);
                unconditional.add(Trigger.STARTUP);
            }
        }
    }

    Mono<Void> stop() {
        return Mono.defer(() -> {
            List<Sinks.One<TickResult<R>>> orphans;
            boolean first;
            boolean wasStarted;
            synchronized (lock) {
                wasStarted = started;
                first = !stopping;
                stopping = true;
                started = true;
                orphans = queuedWaiters;
                queuedWaiters = new ArrayList<>();
                if (persistTimer != null) {
                    persistTimer.dispose();
                    persistTimer = null;
                }
            }
            if (first) {
                synchronized (emitLock) {
                    stopSignal.tryEmitValue(Boolean.TRUE);
                    dirty.tryEmitComplete();
                }
                IllegalStateException stopped = new IllegalStateException("daemon stopped before the manual tick ran");
                orphans.forEach(w -> w.tryEmitError(stopped));
                if (!wasStarted) {
                    // Never ran: nothing to persist, and persisting would overwrite the last run's state.
                    synchronized (lock) {
                        terminatedFlag = true;
                    }
                    synchronized (emitLock) {
                        results.tryEmitComplete();
                        statuses.tryEmitComplete();
                        terminated.tryEmitEmpty();
                    }
                }
            }
            return terminated.asMono();
        });
    }

    void dispose() {
        Disposable d;
        synchronized (lock) {
            d = subscription;
        }
        stop().subscribe(v -> { }, e -> { });
        if (d != null) {
            d.dispose();
        }
        finishTermination();
    }

    private void onPipelineComplete() {
        Mono.fromRunnable(this::finishTermination)
                .subscribeOn(cfg.ioScheduler())
                .subscribe(v -> { }, e -> { });
    }

    private void onPipelineError(Throwable e) {
        // Every error is turned into a TickResult inside concatMap; reaching here is a bug. Record it, persist.
        synchronized (lock) {
            lastError = "pipeline failed: " + describe(e);
        }
        onPipelineComplete();
    }

    private void finishTermination() {
        synchronized (lock) {
            if (terminatedFlag) {
                return;
            }
            terminatedFlag = true;
            stopping = true;
        }
        persistNow();
        emitStatus();
        synchronized (emitLock) {
            results.tryEmitComplete();
            statuses.tryEmitComplete();
            terminated.tryEmitEmpty();
        }
    }

    // ------------------------------------------------------------------ intake

    /** Merges one event into pending on arrival. Returns false when the DROP policy discards it. */
    private boolean offerEvent(SourceEvent event) {
        synchronized (lock) {
            eventsSeen++;
            lastEventMillis = cfg.scheduler().now(TimeUnit.MILLISECONDS);
            if (cfg.busyPolicy() == BusyPolicy.DROP && current != null) {
                droppedChanges++;
                return false;
            }
            if (event instanceof Rescan) {
                rescans++;
                pendingTriggers.add(Trigger.RESCAN);
            }
            if (!pending.add(event) && event instanceof Change) {
                coalescedEvents++;
            }
            pendingTriggers.add(cfg.sourceTrigger());
            return true;
        }
    }

    private Object onBatch(List<SourceEvent> batch) {
        Sinks.One<Boolean> toCancel = null;
        synchronized (lock) {
            batchesSeen++;
            // Restart only for something new: the running tick may already hold this batch's events (a tick
            // that started mid-window drains them), and cancelling it would redo the same work.
            if (cfg.busyPolicy() == BusyPolicy.RESTART && restart != null && !pending.isEmpty()) {
                toCancel = restart;
                restart = null;
            }
        }
        if (toCancel != null) {
            toCancel.tryEmitValue(Boolean.TRUE);
        }
        emitStatus();
        return DIRTY;
    }

    private boolean offerPoll() {
        synchronized (lock) {
            if (cfg.busyPolicy() == BusyPolicy.DROP && current != null) {
                return false;
            }
            pendingTriggers.add(Trigger.POLL);
            unconditional.add(Trigger.POLL);
            return true;
        }
    }

    Mono<TickResult<R>> tickNow() {
        return Mono.defer(() -> {
            Sinks.One<TickResult<R>> waiter = Sinks.one();
            synchronized (lock) {
                if (!started || stopping) {
                    return Mono.error(new IllegalStateException(
                            started ? "daemon is stopped" : "daemon is not started"));
                }
                pendingTriggers.add(Trigger.MANUAL);
                unconditional.add(Trigger.MANUAL);
                queuedWaiters.add(waiter);
            }
            emitDirty();
            return waiter.asMono();
        });
    }

    private void recordSourceError(Throwable e) {
        synchronized (lock) {
            sourceError = "source failed: " + describe(e);
            lastError = sourceError;
        }
        emitStatus();
    }

    // ------------------------------------------------------------------ single flight

    private Mono<TickResult<R>> runOne() {
        return Mono.defer(() -> {
            Tick tick;
            Sinks.One<Boolean> restartSignal = Sinks.one();
            List<Sinks.One<TickResult<R>>> waiters = List.of();
            Instant tickStart;
            synchronized (lock) {
                if (stopping || (pending.isEmpty() && pendingTriggers.isEmpty())) {
                    return Mono.empty();
                }
                long now = cfg.scheduler().now(TimeUnit.NANOSECONDS);
                if (now < retryAtNanos) {
                    // Backoff after a failure: hold the single-flight slot, then drain whatever is pending then.
                    return Mono.delay(Duration.ofNanos(retryAtNanos - now), cfg.scheduler())
                            .takeUntilOther(stopSignal.asMono())
                            .then(Mono.defer(this::runOne));
                }
                ChangeSet changes = pending.drain(cfg.maxChangesPerTick());
                EnumSet<Trigger> triggers = pendingTriggers.isEmpty()
                        ? EnumSet.of(Trigger.CONTINUATION) : EnumSet.copyOf(pendingTriggers);
                pendingTriggers.clear();
                if (changes.isEmpty() && unconditional.isEmpty()) {
                    // Events that cancelled out (created then deleted) leave nothing to reconcile.
                    return Mono.empty();
                }
                unconditional.clear();
                if (!pending.isEmpty()) {
                    pendingTriggers.add(Trigger.CONTINUATION);
                }
                if (triggers.contains(Trigger.MANUAL)) {
                    waiters = queuedWaiters;
                    queuedWaiters = new ArrayList<>();
                }
                tick = new Tick(++tickNumber, triggers, changes);
                current = tick;
                restart = restartSignal;
                tickStart = now();
            }
            emitStatus();
            return reconcile(tick, restartSignal, tickStart, waiters);
        });
    }

    private Mono<TickResult<R>> reconcile(Tick tick, Sinks.One<Boolean> restartSignal, Instant tickStart,
            List<Sinks.One<TickResult<R>>> waiters) {
        Mono<Optional<R>> call = Mono.defer(() -> Objects.requireNonNull(cfg.reconciler().reconcile(tick),
                        "reconciler returned null instead of a Mono"))
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
        if (cfg.tickTimeout() != null) {
            Duration timeout = cfg.tickTimeout();
            call = call.timeout(timeout, Mono.error(() -> new TickTimeoutException(timeout)), cfg.scheduler());
        }
        Mono<Long> graceOver = stopSignal.asMono().then(Mono.delay(cfg.stopGracePeriod(), cfg.scheduler()));
        return call
                .takeUntilOther(restartSignal.asMono())
                .takeUntilOther(graceOver)
                .map(value -> result(tick, Outcome.OK, value.orElse(null), null, tickStart))
                .onErrorResume(e -> Mono.just(result(tick,
                        e instanceof TickTimeoutException ? Outcome.TIMED_OUT : Outcome.FAILED, null, e, tickStart)))
                .switchIfEmpty(Mono.fromSupplier(() -> result(tick, Outcome.CANCELLED, null, null, tickStart)))
                .doOnNext(r -> finish(r, waiters))
                .doOnCancel(() -> finish(result(tick, Outcome.CANCELLED, null, null, tickStart), waiters));
    }

    private TickResult<R> result(Tick tick, Outcome outcome, R value, Throwable error, Instant tickStart) {
        return new TickResult<>(tick, outcome, value, error, tickStart, now());
    }

    private void finish(TickResult<R> r, List<Sinks.One<TickResult<R>>> waiters) {
        boolean again;
        synchronized (lock) {
            if (current != r.tick()) {
                return; // already finished (cancel raced with completion)
            }
            current = null;
            restart = null;
            Tick tick = r.tick();
            lastTickAt = r.finishedAt();
            lastTickTrigger = EnumSet.copyOf(tick.triggers());
            lastTickDuration = r.duration().toMillis();
            lastTickChanges = tick.changes().size();
            lastOutcome = r.outcome();
            switch (r.outcome()) {
                case OK:
                    consecutiveFailures = 0;
                    retryAtNanos = Long.MIN_VALUE;
                    break;
                case FAILED:
                case TIMED_OUT:
                    consecutiveFailures++;
                    lastError = describe(r.error());
                    pending.putBack(tick.changes());
                    if (!tick.changes().isEmpty()) {
                        pendingTriggers.add(Trigger.RETRY);
                        retryAtNanos = cfg.scheduler().now(TimeUnit.NANOSECONDS) + backoff(consecutiveFailures).toNanos();
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
                    throw new AssertionError(r.outcome());
            }
            // Source changes wait for their own batch's dirty signal (their window may still be open);
            // only the engine's own reasons to run again signal here.
            again = !stopping && (pendingTriggers.contains(Trigger.RETRY) || pendingTriggers.contains(Trigger.CONTINUATION));
        }
        synchronized (emitLock) {
            results.tryEmitNext(r);
        }
        waiters.forEach(w -> w.tryEmitValue(r));
        emitStatus();
        requestPersist();
        if (again) {
            emitDirty();
        }
    }

    private DaemonState.Settings settings() {
        return new DaemonState.Settings((cfg.settle() != null ? cfg.settle() : cfg.window()).toMillis(),
                cfg.maxWait() == null ? null : cfg.maxWait().toMillis(), cfg.maxBatch(), cfg.busyPolicy(),
                cfg.maxChangesPerTick() == Integer.MAX_VALUE ? null : cfg.maxChangesPerTick(),
                cfg.tickTimeout() == null ? null : cfg.tickTimeout().toMillis());
    }

    private Duration backoff(int failures) {
        Duration d = cfg.retryMin();
        for (int i = 1; i < failures && d.compareTo(cfg.retryMax()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(cfg.retryMax()) > 0 ? cfg.retryMax() : d;
    }

    // ------------------------------------------------------------------ persistence

    private void requestPersist() {
        if (cfg.stateStore() == null) {
            return;
        }
        synchronized (lock) {
            if (persistScheduled || stopping) {
                return;
            }
            persistScheduled = true;
            persistTimer = Mono.delay(cfg.persistInterval(), cfg.scheduler())
                    .publishOn(cfg.ioScheduler())
                    .subscribe(x -> persistNow(), e -> { });
        }
    }

    private void persistNow() {
        if (cfg.stateStore() == null) {
            return;
        }
        // The source section first, then pending: a change the source snapshot already holds is then
        // guaranteed to be in pending too (see SourceState#snapshot).
        JsonNode source = null;
        String problem = null;
        if (cfg.sourceState() != null) {
            try {
                source = cfg.sourceState().snapshot();
            } catch (RuntimeException e) {
                problem = "could not snapshot source state: " + describe(e);
            }
        }
        DaemonState state;
        synchronized (lock) {
            persistScheduled = false;
            persistTimer = null;
            ChangeSet unfinished = current == null ? pending.snapshot() : current.changes().merge(pending.snapshot());
            state = new DaemonState(DaemonState.SCHEMA_VERSION, now(), tickNumber, lastTickAt,
                    unfinished.changes(), unfinished.rescan(), source, settings());
        }
        try {
            cfg.stateStore().save(state);
        } catch (IOException | RuntimeException e) {
            problem = "could not persist state: " + describe(e);
        }
        if (problem != null) {
            synchronized (lock) {
                lastError = problem;
            }
            emitStatus();
        }
    }

    // ------------------------------------------------------------------ status

    DaemonStatus status() {
        return snapshot().status();
    }

    private StatusSnapshot snapshot() {
        // Asked outside every lock of ours: a source may take its own lock here.
        SourceDescription src = Objects.requireNonNull(cfg.sourceDescription().get(), "sourceDescription");
        synchronized (lock) {
            boolean inFlight = current != null;
            return new StatusSnapshot(++statusSeq, new DaemonStatus(
                    started && !terminatedFlag && !stopping,
                    startedAt,
                    src.watchPaths(),
                    src.backend(),
                    sourceError != null ? sourceError : src.backendError(),
                    (cfg.settle() != null ? cfg.settle() : cfg.window()).toMillis(),
                    cfg.maxBatch(),
                    cfg.pollInterval() == null ? null : cfg.pollInterval().toMillis(),
                    cfg.busyPolicy(),
                    inFlight,
                    !pending.isEmpty() || !pendingTriggers.isEmpty(),
                    pending.size(),
                    eventsSeen,
                    batchesSeen,
                    coalescedEvents,
                    droppedChanges,
                    lastEventMillis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(lastEventMillis),
                    rescans,
                    tickNumber - (inFlight ? 1 : 0),
                    lastTickAt,
                    lastTickTrigger,
                    lastTickDuration,
                    lastTickChanges,
                    lastOutcome,
                    consecutiveFailures,
                    lastError,
                    src.trackedFiles()));
        }
    }

    private record StatusSnapshot(long seq, DaemonStatus status) {
    }

    Flux<TickResult<R>> ticks() {
        return results.asFlux();
    }

    Flux<DaemonStatus> statusUpdates() {
        return statuses.asFlux();
    }

    private void emitStatus() {
        StatusSnapshot snap = snapshot();
        synchronized (emitLock) {
            // Snapshots are numbered under the state lock; a slower thread must not publish an older one last.
            if (snap.seq() > lastEmittedStatus) {
                lastEmittedStatus = snap.seq();
                statuses.tryEmitNext(snap.status());
            }
        }
    }

    private void emitDirty() {
        synchronized (emitLock) {
            dirty.tryEmitNext(DIRTY);
        }
    }

    private static String describe(Throwable e) {
        if (e == null) {
            return null;
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + m;
    }

    /** The timeout the daemon itself raised, told apart from a TimeoutException thrown by the reconciler. */
    static final class TickTimeoutException extends TimeoutException {
        private static final long serialVersionUID = 1L;

        TickTimeoutException(Duration timeout) {
            super("reconcile did not finish within " + timeout.toMillis() + " ms");
        }
    }
}
