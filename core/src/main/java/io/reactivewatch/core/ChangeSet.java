package io.reactivewatch.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of net changes, at most one per path, in the order the paths first changed, plus a
 * rescan marker.
 *
 * <p>Merging follows the net effect per path, relative to what the reconciler last saw:
 * <pre>
 *   created  + modified = created        modified + modified = modified
 *   created  + deleted  = (nothing)      modified + deleted  = deleted
 *   deleted  + created  = modified       deleted  + modified = modified
 * </pre>
 * The entry type (file or directory) is the later one. The rescan marker is sticky: a merge is a rescan if
 * either side is.
 */
public final class ChangeSet {

    private static final ChangeSet EMPTY = new ChangeSet(Collections.emptyMap(), false);

    private final Map<Path, Change> changes;
    private final boolean rescan;

    private ChangeSet(Map<Path, Change> changes, boolean rescan) {
        this.changes = changes;
        this.rescan = rescan;
    }

    static ChangeSet wrap(LinkedHashMap<Path, Change> owned, boolean rescan) {
        if (owned.isEmpty() && !rescan) {
            return EMPTY;
        }
        return new ChangeSet(Collections.unmodifiableMap(owned), rescan);
    }

    /**
     * The empty change set: no changes, no rescan.
     *
     * @return the empty set
     */
    public static ChangeSet empty() {
        return EMPTY;
    }

    /**
     * Folds events, in order, into a change set by the net-effect rules.
     *
     * @param events changes and rescan markers, oldest first
     * @return the net change set
     * @throws NullPointerException if {@code events} or one of its elements is {@code null}
     */
    public static ChangeSet of(Collection<? extends SourceEvent> events) {
        PendingChanges pending = new PendingChanges();
        for (SourceEvent event : events) {
            pending.add(Objects.requireNonNull(event, "event"));
        }
        return pending.drainAll();
    }

    /**
     * Folds events, in order, into a change set.
     *
     * @param events changes and rescan markers, oldest first
     * @return the net change set
     */
    public static ChangeSet of(SourceEvent... events) {
        return of(List.of(events));
    }

    /**
     * The changes, in the order their paths first changed.
     *
     * @return an unmodifiable list
     */
    public List<Change> changes() {
        return Collections.unmodifiableList(new ArrayList<>(changes.values()));
    }

    /**
     * The changed paths, in order.
     *
     * @return an unmodifiable set view
     */
    public Set<Path> paths() {
        return changes.keySet();
    }

    /**
     * The net change of one path.
     *
     * @param path the path
     * @return its change, or empty if it has none
     */
    public Optional<Change> get(Path path) {
        return Optional.ofNullable(changes.get(path));
    }

    /**
     * How many paths changed.
     *
     * @return the number of changes
     */
    public int size() {
        return changes.size();
    }

    /**
     * Whether there is nothing to do: no change and no rescan marker.
     *
     * @return {@code true} if empty
     */
    public boolean isEmpty() {
        return changes.isEmpty() && !rescan;
    }

    /**
     * Whether a source may have missed events, so the reconciler should re-derive the truth rather than
     * trust {@link #changes()} alone.
     *
     * @return the rescan marker
     */
    public boolean rescan() {
        return rescan;
    }

    /**
     * The net effect of this set followed by {@code later}.
     *
     * @param later the newer change set
     * @return a new set; neither operand changes
     */
    public ChangeSet merge(ChangeSet later) {
        Objects.requireNonNull(later, "later");
        if (later.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return later;
        }
        PendingChanges pending = new PendingChanges();
        pending.addAll(this);
        pending.addAll(later);
        return pending.drainAll();
    }

    Map<Path, Change> asMap() {
        return changes;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ChangeSet)) {
            return false;
        }
        ChangeSet other = (ChangeSet) o;
        return rescan == other.rescan && List.copyOf(changes.values()).equals(List.copyOf(other.changes.values()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(changes, rescan);
    }

    @Override
    public String toString() {
        return "ChangeSet" + (rescan ? "[rescan]" : "") + changes.values();
    }
}
