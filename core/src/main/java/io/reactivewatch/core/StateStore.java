package io.reactivewatch.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a daemon keeps its {@link DaemonState} between runs.
 *
 * <p>{@link #file(Path)} gives the standard implementation: JSON, atomic replace, tolerant load. A custom
 * store must keep the same promises: {@link #load()} never throws and never deletes or moves a file it
 * does not recognise.
 */
public interface StateStore {

    /**
     * Reads the persisted state. Never throws: a missing state is {@link Loaded#none()}; a file of ours that
     * cannot be used (truncated, corrupt, written by a newer version) is set aside and reported through
     * {@link Loaded#warning()}; a file that is not ours, or cannot be read, is left alone and reported through
     * {@link Loaded#refusal()}.
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
     * disk, atomically moved over the old one), marked as ours by {@code "format": "reactive-watch-state"}. A
     * file of ours that cannot be used is renamed to {@code NAME.corrupt-TIMESTAMP} and reported as a warning,
     * and the daemon starts with a rescan. A file without the marker (a user's unrelated file, {@code {}}) is
     * refused and never moved; so is a file that cannot be read. An empty file counts as no state.
     *
     * @param file the state file; its directory is created on first save
     * @return the store
     * @throws NullPointerException if {@code file} is {@code null}
     */
    static StateStore file(Path file) {
        return new FileStateStore(Objects.requireNonNull(file, "file"));
    }

    /**
     * The result of {@link #load()}: nothing, a state, a state file of ours that was unusable and set aside,
     * or a file the store refuses to touch.
     *
     * @param state   the state read, or {@code null}
     * @param warning why a file of ours could not be used (it has been set aside), or {@code null}
     * @param refusal why the file at the store's path is not taken at all (it is not a state file of ours, or
     *                it cannot be read); the file is left where it is and the daemon does not start, or
     *                {@code null}
     */
    record Loaded(DaemonState state, String warning, String refusal) {

        /**
         * Nothing persisted yet.
         *
         * @return an empty result
         */
        public static Loaded none() {
            return new Loaded(null, null, null);
        }

        /**
         * A state read.
         *
         * @param state the state
         * @return the result
         */
        public static Loaded of(DaemonState state) {
            return new Loaded(state, null, null);
        }

        /**
         * A state file of ours that could not be used and was set aside; the daemon starts with a rescan.
         *
         * @param warning what happened, naming the file and where it went
         * @return the result
         */
        public static Loaded setAside(String warning) {
            return new Loaded(null, warning, null);
        }

        /**
         * A file the store does not take: the daemon refuses to start and leaves the file alone.
         *
         * @param refusal one line naming the file and the reason
         * @return the result
         */
        public static Loaded refused(String refusal) {
            return new Loaded(null, null, refusal);
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
         * Whether a file of ours was present but unusable; the daemon then starts with a full rescan.
         *
         * @return {@code true} if a corrupt state was set aside
         */
        public boolean corrupt() {
            return warning != null;
        }
    }
}
