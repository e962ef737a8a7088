package io.reactivewatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * What happened to a path, relative to what the reconciler last saw.
 *
 * <p>Kinds combine by the net-effect rules of {@link ChangeSet}: created then modified is created,
 * created then deleted is nothing, deleted then created is modified, modified then deleted is deleted.
 */
public enum ChangeKind {
    /** The path did not exist for the reconciler and exists now. */
    CREATED("created"),
    /** The path existed and still exists, with different metadata or content. */
    MODIFIED("modified"),
    /** The path existed and is gone. */
    DELETED("deleted");

    private final String wireName;

    ChangeKind(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used in JSON and on the command line.
     *
     * @return {@code created}, {@code modified} or {@code deleted}
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @param name {@code created}, {@code modified} or {@code deleted} (case-insensitive)
     * @return the kind
     * @throws IllegalArgumentException if the name is not one of the three
     */
    @JsonCreator
    public static ChangeKind fromWireName(String name) {
        for (ChangeKind kind : values()) {
            if (kind.wireName.equalsIgnoreCase(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown change kind: " + name);
    }

    /**
     * The net effect of this (older) kind followed by {@code later}.
     *
     * @param later the kind observed after this one
     * @return the combined kind, or {@code null} when the two cancel out (created then deleted)
     */
    public @Nullable ChangeKind then(ChangeKind later) {
        switch (this) {
            case CREATED:
                return later == DELETED ? null : CREATED;
            case MODIFIED:
                return later == DELETED ? DELETED : MODIFIED;
            case DELETED:
                return later == DELETED ? DELETED : MODIFIED;
            default:
                throw new AssertionError(this);
        }
    }
}
