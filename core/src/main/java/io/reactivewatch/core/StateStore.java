package io.reactivewatch.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where a daemon keeps its {@link DaemonState} between runs.
 *
 * <p>{@link #file(Path)} gives the standard implementation: a JSON snapshot replaced atomically, and an
 * append-only journal of checksummed records after it, so that what a tick writes is proportional to the
 * tick, not to the tracked tree. A custom store must keep the same promises: {@link #load()} never throws
 * and never deletes or moves a file it does not recognise; {@link #save} and {@link #append} are durable
 * when they return, and a crash in the middle of either leaves the last state that returned readable.
 *
 * <p>A store is used by one daemon at a time; the daemon calls {@link #save} and {@link #append} one at a
 * time, on its I/O scheduler.
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
     * Whether this store keeps a journal, so the daemon may call {@link #append} between full saves.
     *
     * @return {@code false} by default: every write is a {@link #save}
     */
    default boolean appends() {
        return false;
    }

    /**
     * Appends a record after the last {@link #save}: the record's state fields replace those saved before
     * (tick count, pending and delivering changes, rescan flag, times), its {@link DaemonState#source()} is
     * ignored, and {@code sourceChanges} (what {@link ChangeSource#checkpointChanges()} returned) is kept, in
     * order, to be handed to the source with the last saved section on the next {@link #load()}. Durable when
     * it returns; a record torn by a crash is dropped on load, and the state before it is used.
     *
     * @param state         the daemon's state now; its source section is not read
     * @param sourceChanges the source's changes since its last checkpoint, possibly empty
     * @return {@code true} when the journal has grown enough that the next write should be a full
     *         {@link #save} (which compacts it)
     * @throws IOException if the record could not be written; nothing of it is then kept, and the daemon's next
     *                     write is a full {@link #save}
     * @throws UnsupportedOperationException if the store keeps no journal ({@link #appends()} is false)
     */
    default boolean append(DaemonState state, String sourceChanges) throws IOException {
        throw new UnsupportedOperationException(this + " keeps no journal");
    }

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
     * The standard store: a JSON snapshot written atomically (temporary file in the same directory, forced to
     * disk, atomically moved over the old one), marked as ours by {@code "format": "reactive-watch-state"},
     * and a journal next to it, {@code NAME.journal}: one line per {@link #append}, each with a CRC-32C of its
     * text, forced to disk before the call returns. Every {@link #save} starts a new journal (the snapshot and
     * the journal share a random generation number, so a journal left from before the latest snapshot is
     * ignored). On load, a torn last record (no newline, or a checksum that does not match) is dropped; a bad
     * record followed by good ones means the files are corrupt.
     *
     * <p>A file of ours that cannot be used (truncated, corrupt, a newer schema) is renamed to
     * {@code NAME.corrupt-TIMESTAMP} (its journal too) and reported as a warning, and the daemon starts with a
     * rescan. A file without the marker (a user's unrelated file, {@code {}}) is refused and never moved; so is
     * a file that cannot be read. An empty file counts as no state.
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
     * @param sourceChanges the source changes appended after the state's section, oldest first (see
     *                {@link StateStore#append}); {@code null} is taken as empty
     */
    record Loaded(@Nullable DaemonState state, @Nullable String warning, @Nullable String refusal,
            @Nullable List<String> sourceChanges) {

        /**
         * Copies the source changes, leaving out empty ones.
         *
         * @param state   the state read, or {@code null}
         * @param warning why a file of ours could not be used (it has been set aside), or {@code null}
         * @param refusal why the file at the store's path is not taken at all (it is not a state file of ours, or
         *                it cannot be read); the file is left where it is and the daemon does not start, or
         *                {@code null}
         * @param sourceChanges the source changes appended after the state's section, oldest first (see
         *                {@link StateStore#append}); {@code null} is taken as empty
         */
        public Loaded {
            sourceChanges = sourceChanges == null ? List.of()
                    : sourceChanges.stream().filter(c -> c != null && !c.isEmpty()).toList();
        }

        /**
         * Nothing persisted yet.
         *
         * @return an empty result
         */
        public static Loaded none() {
            return new Loaded(null, null, null, List.of());
        }

        /**
         * A state read.
         *
         * @param state the state
         * @return the result
         */
        public static Loaded of(DaemonState state) {
            return new Loaded(state, null, null, List.of());
        }

        /**
         * A state read, with the source changes appended after its section.
         *
         * @param state         the state
         * @param sourceChanges the changes, oldest first
         * @return the result
         */
        public static Loaded of(DaemonState state, List<String> sourceChanges) {
            return new Loaded(state, null, null, sourceChanges);
        }

        /**
         * A state file of ours that could not be used and was set aside; the daemon starts with a rescan.
         *
         * @param warning what happened, naming the file and where it went
         * @return the result
         */
        public static Loaded setAside(String warning) {
            return new Loaded(null, warning, null, List.of());
        }

        /**
         * A file the store does not take: the daemon refuses to start and leaves the file alone.
         *
         * @param refusal one line naming the file and the reason
         * @return the result
         */
        public static Loaded refused(String refusal) {
            return new Loaded(null, null, refusal, List.of());
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
