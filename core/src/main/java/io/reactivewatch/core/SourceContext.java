package io.reactivewatch.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a daemon hands its {@link ChangeSource} at {@link ChangeSource#open open}: the section the source
 * persisted last time, and a test for the daemon's own files (its state file and their temporary copies),
 * which a filesystem source must never report, or the daemon would wake itself up with every save.
 */
public final class SourceContext {

    private static final SourceContext NONE = new SourceContext(null, List.of(), p -> false, false);

    private final String persisted;
    private final List<String> persistedChanges;
    private final Predicate<Path> daemonFiles;
    private final boolean stateLost;

    SourceContext(String persisted, List<String> persistedChanges, Predicate<Path> daemonFiles, boolean stateLost) {
        this.persisted = persisted;
        this.persistedChanges = List.copyOf(persistedChanges);
        this.daemonFiles = daemonFiles;
        this.stateLost = stateLost;
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
     * Whether a path is one of the daemon's own files.
     *
     * @param path an absolute, normalized path
     * @return {@code true} if the daemon writes it
     */
    public boolean isDaemonFile(Path path) {
        return daemonFiles.test(path);
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
