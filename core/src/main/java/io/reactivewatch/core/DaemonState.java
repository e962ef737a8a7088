package io.reactivewatch.core;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a daemon persists between runs (JSON, via a {@link StateStore}).
 *
 * <p>Only data is persisted, never runtime flags: whether a reconcile was in flight or a rerun was pending
 * is re-derived at start, so a crash mid-tick cannot leave a flag that blocks later ticks. What a tick was
 * delivering when the state was written is kept apart from what was pending: after a crash its delivery is
 * uncertain, so it is redelivered as the source's current truth rather than merged. Unknown fields are
 * ignored and missing fields take defaults, so files written by older and newer versions load.
 *
 * @param format         {@link #FORMAT}: marks the file as ours, so a store never takes (or moves) a file it
 *                       does not recognise
 * @param schemaVersion  the format version that wrote the file ({@link #SCHEMA_VERSION} now)
 * @param savedAt        when it was written, on the daemon's clock, or {@code null}
 * @param tickCount      the number of the last tick that started (tick numbers continue from it)
 * @param lastTickAt     when that run's last tick ended, or {@code null}
 * @param pendingChanges changes that no tick has delivered yet, oldest first
 * @param pendingRescan  whether a rescan marker was pending or being delivered
 * @param delivering     the changes of the tick that was running when the state was written, if any
 * @param source         the source's opaque section ({@link ChangeSource#checkpoint()}; the filesystem module
 *                       keeps its tracked files here), or {@code null}
 * @param settings       the settings of the run that wrote it, for people reading the file; never applied, or
 *                       {@code null}
 */
@JsonPropertyOrder({"format", "schemaVersion", "savedAt", "tickCount", "lastTickAt", "pendingChanges",
        "pendingRescan", "delivering", "source", "settings"})
public record DaemonState(
        @Nullable String format,
        int schemaVersion,
        @Nullable Instant savedAt,
        long tickCount,
        @Nullable Instant lastTickAt,
        List<Change> pendingChanges,
        boolean pendingRescan,
        List<Change> delivering,
        @Nullable String source,
        @Nullable RunSettings settings) {

    /**
     * The schema version this library writes: 3 since a journal follows the snapshot (2: the source section
     * became opaque text). An older version sets a newer file aside and rescans rather than misread it.
     */
    public static final int SCHEMA_VERSION = 3;

    /** The value of {@link #format()} in every state this library writes. */
    public static final String FORMAT = "reactive-watch-state";

    /**
     * Replaces missing change lists with empty ones and copies them.
     *
     * @param format         {@link #FORMAT}: marks the file as ours, so a store never takes (or moves) a file it
     *                       does not recognise
     * @param schemaVersion  the format version that wrote the file ({@link #SCHEMA_VERSION} now)
     * @param savedAt        when it was written, on the daemon's clock, or {@code null}
     * @param tickCount      the number of the last tick that started (tick numbers continue from it)
     * @param lastTickAt     when that run's last tick ended, or {@code null}
     * @param pendingChanges changes that no tick has delivered yet, oldest first
     * @param pendingRescan  whether a rescan marker was pending or being delivered
     * @param delivering     the changes of the tick that was running when the state was written, if any
     * @param source         the source's opaque section ({@link ChangeSource#checkpoint()}; the filesystem module
     *                       keeps its tracked files here), or {@code null}
     * @param settings       the settings of the run that wrote it, for people reading the file; never applied, or
     *                       {@code null}
     */
    public DaemonState {
        pendingChanges = pendingChanges == null ? List.of() : List.copyOf(pendingChanges);
        delivering = delivering == null ? List.of() : List.copyOf(delivering);
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
    public record RunSettings(@Nullable String coalescing, @Nullable BusyPolicy busyPolicy,
            @Nullable Integer maxChangesPerTick, @Nullable Long tickTimeout, @Nullable String retry) {
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
