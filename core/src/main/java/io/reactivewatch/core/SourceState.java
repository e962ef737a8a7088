package io.reactivewatch.core;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A source's part of the persisted state: the filesystem module keeps its tracked-file snapshot here so
 * that, after a restart, it can report what changed while the daemon was down.
 *
 * <p>The daemon calls {@link #restore} once, during {@code start()}, before it subscribes to the source, and
 * {@link #snapshot()} whenever it persists. Both may block.
 */
public interface SourceState {

    /**
     * Restores the source from its persisted section and returns what changed while the daemon was down.
     *
     * @param persisted the section the last run saved, or {@code null} when there is none (first run, or the
     *                  state file was corrupt and was set aside)
     * @return the changes to deliver in the {@link Trigger#STARTUP} tick; empty if nothing changed
     */
    List<SourceEvent> restore(JsonNode persisted);

    /**
     * The section to persist now. To never lose a change, a source must update what this returns and emit
     * the matching event atomically with respect to this call (the daemon merges an event into pending on
     * arrival, and persists the source section before the pending changes).
     *
     * @return a JSON tree, or {@code null} for nothing
     */
    JsonNode snapshot();
}
