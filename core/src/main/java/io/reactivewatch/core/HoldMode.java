package io.reactivewatch.core;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a {@link Hold} does with the changes that arrive while it is open. */
public enum HoldMode {
    /**
     * Keep them: they merge into pending as usual, and when the last hold closes one tick carries everything
     * that arrived meanwhile. Nothing is lost. The default of {@link ReconcileDaemon#hold(String)}.
     */
    DEFER("defer"),
    /**
     * Discard them and count them (in the hold's {@link HoldStatus#droppedChanges()} and in
     * {@link DaemonStatus#droppedChanges()}), for a state whose changes the reconciler must never see, such
     * as files a deployment step rewrites and restores. Changes that were pending before the hold opened
     * stay pending. Like {@link BusyPolicy#DROP}, a deliberate exception to "no lost change".
     */
    DROP("drop");

    private final String wireName;

    HoldMode(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used in JSON.
     *
     * @return {@code defer} or {@code drop}
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
