package io.reactivewatch.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A change of one path.
 *
 * @param path the changed path; the filesystem module always emits absolute, normalized paths
 * @param kind what happened to it
 * @param type whether it is a file or a directory
 */
public record Change(Path path, ChangeKind kind, EntryType type) implements SourceEvent {

    /**
     * Validates the components.
     *
     * @param path the changed path; the filesystem module always emits absolute, normalized paths
     * @param kind what happened to it
     * @param type whether it is a file or a directory
     * @throws NullPointerException if any component is {@code null}
     */
    public Change {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
    }

    /**
     * A created file.
     *
     * @param path the path
     * @return the change
     */
    public static Change created(Path path) {
        return new Change(path, ChangeKind.CREATED, EntryType.FILE);
    }

    /**
     * A modified file.
     *
     * @param path the path
     * @return the change
     */
    public static Change modified(Path path) {
        return new Change(path, ChangeKind.MODIFIED, EntryType.FILE);
    }

    /**
     * A deleted file.
     *
     * @param path the path
     * @return the change
     */
    public static Change deleted(Path path) {
        return new Change(path, ChangeKind.DELETED, EntryType.FILE);
    }
}
