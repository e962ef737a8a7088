package io.reactivewatch.core;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable snapshot of a daemon. Serializes to camelCase JSON with Jackson; timestamps are ISO-8601 on
 * the daemon's clock (so they follow virtual time in tests), durations are milliseconds.
 *
 * @param active               whether the daemon is started and not yet stopped
 * @param startedAt            when it started, or {@code null}
 * @param watchPaths           the source's roots
 * @param backend              the source's backend name ({@code native}, {@code polling}, …)
 * @param backendError         the source's last problem, or {@code null}
 * @param coalescing           {@code window} or {@code settle}
 * @param coalesceWindow       the coalescing window (or settle quiet period) in ms
 * @param maxWait              the settle max wait in ms, or {@code null} in window mode
 * @param maxBatch             the count at which a window closes early, or {@code null} when batches never
 *                             close by count (the default window, and every settle)
 * @param pollInterval         how often a polling source scans, in ms, or {@code null} for an event-driven one
 * @param tickInterval         the periodic tick interval in ms, or {@code null} when off
 * @param busyPolicy           the busy policy
 * @param retry                the retry policy ({@code none} or {@code backoff(MINms..MAXms)})
 * @param tickInFlight         whether a reconcile is running now
 * @param pendingRerun         whether something is waiting to run after it (or, when idle, to run next)
 * @param pendingChanges       how many paths wait in pending
 * @param eventsSeen           how many source events arrived
 * @param batchesSeen          how many coalesced batches arrived
 * @param coalescedEvents      how many events merged into a path that was already pending
 * @param droppedChanges       how many events the {@link BusyPolicy#DROP} policy discarded
 * @param lastEventAt          when the last event arrived, or {@code null}
 * @param rescans              how many rescan markers arrived
 * @param tickCount            how many ticks ran
 * @param lastTickAt           when the last tick finished, or {@code null}
 * @param lastTickTrigger      the triggers of the last tick
 * @param lastTickDuration     the last tick's duration in ms, or {@code null}
 * @param lastTickChanges      how many changes the last tick held
 * @param lastOutcome          the last tick's outcome ({@code ok}, {@code failed}, …), or {@code null}
 * @param consecutiveFailures  how many ticks in a row did not end {@code ok}
 * @param lastError            the last failure's message (a tick, the source, or a state write), or {@code null}
 * @param persistFailures      how many state writes failed
 * @param trackedFiles         how many paths the source tracks that are not directories
 * @param trackedDirectories   how many directories the source tracks below its roots (0 for a source that
 *                             does not tell them apart, {@link SourceDescription#trackedDirectories()})
 * @param holds                the open {@link Hold}s, oldest first (a source's, such as a version-control
 *                             operation in progress, and users'); ticks wait while there is any
 * @param deferredTicks        how many requests for a tick (closed batches, manual, periodic and retry ticks)
 *                             found a hold open; they all become the one tick that runs when the last closes
 */
public record DaemonStatus(
        boolean active,
        @Nullable Instant startedAt,
        List<String> watchPaths,
        String backend,
        @Nullable String backendError,
        String coalescing,
        long coalesceWindow,
        @Nullable Long maxWait,
        @Nullable Integer maxBatch,
        @Nullable Long pollInterval,
        @Nullable Long tickInterval,
        BusyPolicy busyPolicy,
        String retry,
        boolean tickInFlight,
        boolean pendingRerun,
        int pendingChanges,
        long eventsSeen,
        long batchesSeen,
        long coalescedEvents,
        long droppedChanges,
        @Nullable Instant lastEventAt,
        long rescans,
        long tickCount,
        @Nullable Instant lastTickAt,
        Set<Trigger> lastTickTrigger,
        @Nullable Long lastTickDuration,
        int lastTickChanges,
        @Nullable Outcome lastOutcome,
        int consecutiveFailures,
        @Nullable String lastError,
        long persistFailures,
        long trackedFiles,
        long trackedDirectories,
        List<HoldStatus> holds,
        long deferredTicks) {

    /**
     * Copies the collections; triggers keep their declaration order.
     *
     * @param active               whether the daemon is started and not yet stopped
     * @param startedAt            when it started, or {@code null}
     * @param watchPaths           the source's roots
     * @param backend              the source's backend name ({@code native}, {@code polling}, …)
     * @param backendError         the source's last problem, or {@code null}
     * @param coalescing           {@code window} or {@code settle}
     * @param coalesceWindow       the coalescing window (or settle quiet period) in ms
     * @param maxWait              the settle max wait in ms, or {@code null} in window mode
     * @param maxBatch             the count at which a window closes early, or {@code null} when batches never
     *                             close by count (the default window, and every settle)
     * @param pollInterval         how often a polling source scans, in ms, or {@code null} for an event-driven one
     * @param tickInterval         the periodic tick interval in ms, or {@code null} when off
     * @param busyPolicy           the busy policy
     * @param retry                the retry policy ({@code none} or {@code backoff(MINms..MAXms)})
     * @param tickInFlight         whether a reconcile is running now
     * @param pendingRerun         whether something is waiting to run after it (or, when idle, to run next)
     * @param pendingChanges       how many paths wait in pending
     * @param eventsSeen           how many source events arrived
     * @param batchesSeen          how many coalesced batches arrived
     * @param coalescedEvents      how many events merged into a path that was already pending
     * @param droppedChanges       how many events the {@link BusyPolicy#DROP} policy discarded
     * @param lastEventAt          when the last event arrived, or {@code null}
     * @param rescans              how many rescan markers arrived
     * @param tickCount            how many ticks ran
     * @param lastTickAt           when the last tick finished, or {@code null}
     * @param lastTickTrigger      the triggers of the last tick
     * @param lastTickDuration     the last tick's duration in ms, or {@code null}
     * @param lastTickChanges      how many changes the last tick held
     * @param lastOutcome          the last tick's outcome ({@code ok}, {@code failed}, …), or {@code null}
     * @param consecutiveFailures  how many ticks in a row did not end {@code ok}
     * @param lastError            the last failure's message (a tick, the source, or a state write), or {@code null}
     * @param persistFailures      how many state writes failed
     * @param trackedFiles         how many paths the source tracks that are not directories
     * @param trackedDirectories   how many directories the source tracks below its roots
     * @param holds                the open holds, oldest first
     * @param deferredTicks        how many requests for a tick found a hold open
     */
    public DaemonStatus {
        watchPaths = watchPaths == null ? List.of() : List.copyOf(watchPaths);
        holds = holds == null ? List.of() : List.copyOf(holds);
        lastTickTrigger = lastTickTrigger == null || lastTickTrigger.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(lastTickTrigger));
    }
}
