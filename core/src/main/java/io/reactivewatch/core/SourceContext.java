package io.reactivewatch.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * What a daemon hands its {@link ChangeSource} at {@link ChangeSource#open open}: the section the source
 * persisted last time, and a test for the daemon's own files (its state file and their temporary copies),
 * which a filesystem source must never report, or the daemon would wake itself up with every save.
 */
public final class SourceContext {

    private static final SourceContext NONE = new SourceContext(null, List.of(), p -> false, false, false,
            (reason, mode) -> new HoldHandle(reason, mode, h -> { })); // no daemon behind it: holds nothing

    private final String persisted;
    private final List<String> persistedChanges;
    private final Predicate<Path> daemonFiles;
    private final boolean stateLost;
    private final boolean resumed;
    private final BiFunction<String, HoldMode, Hold> holds;

    SourceContext(String persisted, List<String> persistedChanges, Predicate<Path> daemonFiles, boolean stateLost,
            boolean resumed, BiFunction<String, HoldMode, Hold> holds) {
        this.persisted = persisted;
        this.persistedChanges = List.copyOf(persistedChanges);
        this.daemonFiles = daemonFiles;
        this.stateLost = stateLost;
        this.resumed = resumed;
        this.holds = holds;
    }

    /**
     * A context with no persisted section and no daemon files: for a source used on its own.
     *
     * @return the empty context
     */
    public static SourceContext none() {
        return NONE;
    }

    /**
     * The section the source's {@link ChangeSource#checkpoint()} returned when the daemon last persisted.
     *
     * @return the section; empty on a first start, without a state store, or when the state was unusable (the
     *         daemon then runs a rescan tick)
     */
    public Optional<String> persisted() {
        return Optional.ofNullable(persisted);
    }

    /**
     * What {@link ChangeSource#checkpointChanges()} returned after {@link #persisted()} was written, oldest
     * first (empty strings left out): applied over the section in this order, they give the section as it was
     * when the daemon last persisted.
     *
     * @return the changes; empty when the store keeps no journal, or nothing was appended since the section
     */
    public List<String> persistedChanges() {
        return persistedChanges;
    }

    /**
     * Whether the daemon had a state file of its own that it could not use (truncated, corrupt, from a newer
     * version) and set aside. What changed while it was down cannot be known then; a source that can list
     * what exists should return all of it from {@link ChangeSource#open open} as created, so the rescan tick
     * that follows tells the reconciler the whole truth (what was deleted meanwhile is not invented).
     *
     * @return {@code true} when the persisted state was lost
     */
    public boolean stateLost() {
        return stateLost;
    }

    /**
     * Whether the daemon resumed a state it persisted in an earlier run (its state store held a usable state).
     * With {@link #persisted()} empty, that state holds no section of this source: a source that always
     * persists one (its {@link ChangeSource#checkpoint()} is never {@code null} once open) lost it, and should
     * act as on {@link #stateLost()}, rather than take what it finds now as its baseline and report nothing
     * of what changed while it was down. The daemon keeps the rest of the state (pending changes, tick numbers).
     *
     * @return {@code true} when a persisted state was loaded; {@code false} on a first start, without a state
     *         store, for a source used on its own, and when the state was unusable ({@link #stateLost()})
     */
    public boolean resumed() {
        return resumed;
    }

    /**
     * Whether a path is one of the daemon's own files.
     *
     * @param path an absolute, normalized path
     * @return {@code true} if the daemon writes it
     */
    public boolean isDaemonFile(Path path) {
        return daemonFiles.test(path);
    }

    /**
     * Opens a {@link HoldMode#DEFER} hold on the daemon's ticks, as {@link ReconcileDaemon#hold(String)} does:
     * for a source that knows its tree is in the middle of an operation (a version-control checkout or
     * rebase) and must not be reconciled until it ends. Any thread; never calls back into the source. In the
     * context of a source used on its own ({@link #none()}) the hold has no effect.
     *
     * @param reason why ticks are held, shown in the daemon's status (for example {@code git rebase in progress})
     * @return the open hold; close it when the operation ends
     * @throws NullPointerException if {@code reason} is {@code null}
     */
    public Hold hold(String reason) {
        return holds.apply(Checks.requireNonNull("reason", reason), HoldMode.DEFER);
    }

    /**
     * The daemon-file test as a predicate, for sources that hand it to their filters.
     *
     * @return the predicate
     */
    public Predicate<Path> daemonFiles() {
        return daemonFiles;
    }
}
