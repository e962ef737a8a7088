package io.reactivewatch.core;

import java.time.Instant;
import java.util.List;

/**
 * What a daemon persists between runs (JSON, via a {@link StateStore}).
 *
 * <p>Only data is persisted, never runtime flags: whether a reconcile was in flight or a rerun was pending
 * is re-derived at start, so a crash mid-tick cannot leave a flag that blocks later ticks. Unknown fields are
 * ignored and missing fields take defaults, so files written by older and newer versions load.
 *
 * @param schemaVersion  the format version that wrote the file ({@link #SCHEMA_VERSION} now)
 * @param savedAt        when it was written, on the daemon's clock, or {@code null}
 * @param tickCount      how many ticks the run that wrote it had completed
 * @param lastTickAt     when that run's last tick ended, or {@code null}
 * @param pendingChanges changes no reconcile has completed yet, including an in-flight tick's, oldest first
 * @param pendingRescan  whether a rescan marker was pending
 * @param source         the source's opaque section ({@link ChangeSource#checkpoint()}; the filesystem module
 *                       keeps its tracked files here), or {@code null}
 * @param settings       the settings of the run that wrote it, for people reading the file; never applied, or
 *                       {@code null}
 */
public record DaemonState(
        int schemaVersion,
        Instant savedAt,
        long tickCount,
        Instant lastTickAt,
        List<Change> pendingChanges,
        boolean pendingRescan,
        String source,
        RunSettings settings) {

    /** The schema version this library writes: 2 since the source section became opaque text. */
    public static final int SCHEMA_VERSION = 2;

    /**
     * Replaces a missing change list with an empty one and copies it.
     */
    public DaemonState {
        pendingChanges = pendingChanges == null ? List.of() : List.copyOf(pendingChanges);
    }

    /**
     * The settings a run was started with, recorded for diagnosis.
     *
     * @param coalescing        the coalescing, as {@link Coalescing#toString()} writes it
     * @param busyPolicy        the busy policy
     * @param maxChangesPerTick the per-tick budget, or {@code null} when unlimited
     * @param tickTimeout       the per-tick timeout in ms, or {@code null}
     * @param retry             the retry policy, as {@link RetryPolicy#toString()} writes it
     */
    public record RunSettings(String coalescing, BusyPolicy busyPolicy, Integer maxChangesPerTick, Long tickTimeout,
            String retry) {
    }

    /**
     * The pending changes as a change set.
     *
     * @return the pending changes and rescan marker
     */
    public ChangeSet pending() {
        PendingChanges p = new PendingChanges();
        pendingChanges.forEach(p::add);
        if (pendingRescan) {
            p.markRescan();
        }
        return p.drainAll();
    }
}
