package io.reactivewatch.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a daemon keeps its {@link DaemonState} between runs.
 *
 * <p>{@link #file(Path)} gives the standard implementation: JSON, atomic replace, tolerant load. A custom
 * store must keep the same promises: {@link #load()} never throws and never deletes what it cannot read.
 */
public interface StateStore {

    /**
     * Reads the persisted state. Never throws: a missing state is {@link Loaded#none()}, an unreadable one is
     * set aside and reported through {@link Loaded#warning()}.
     *
     * @return what was found
     */
    Loaded load();

    /**
     * Persists a state so that a crash at any moment leaves either the old or the new state readable.
     *
     * @param state the state to write
     * @throws IOException if it could not be written; the previous state is then still in place
     */
    void save(DaemonState state) throws IOException;

    /**
     * Whether a path belongs to this store (the state file, its temporary and set-aside files), so a watcher
     * of the same tree can ignore it and never trigger itself.
     *
     * @param path an absolute path
     * @return {@code true} if the store writes that path
     */
    default boolean owns(Path path) {
        return false;
    }

    /**
     * The standard store: a JSON file written atomically (temporary file in the same directory, forced to
     * disk, atomically moved over the old one). A file that cannot be parsed is renamed to
     * {@code NAME.corrupt-TIMESTAMP} and reported as a warning, and the daemon starts with a rescan.
     *
     * @param file the state file; its directory is created on first save
     * @return the store
     * @throws NullPointerException if {@code file} is {@code null}
     */
    static StateStore file(Path file) {
        return new FileStateStore(Objects.requireNonNull(file, "file"));
    }

    /**
     * The result of {@link #load()}.
     *
     * @param state   the state read, or {@code null} when there was none or it was unreadable
     * @param warning why a file present could not be used (it has been set aside), or {@code null}
     */
    record Loaded(DaemonState state, String warning) {

        /**
         * Nothing persisted yet.
         *
         * @return an empty result
         */
        public static Loaded none() {
            return new Loaded(null, null);
        }

        /**
         * The state, if one was read.
         *
         * @return the state
         */
        public Optional<DaemonState> stateIfPresent() {
            return Optional.ofNullable(state);
        }

        /**
         * Whether a file was present but unusable; the daemon then starts with a full rescan.
         *
         * @return {@code true} if a corrupt state was set aside
         */
        public boolean corrupt() {
            return warning != null;
        }
    }
}
