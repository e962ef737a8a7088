package io.reactivewatch.core;

import com.fasterxml.jackson.annotation.JsonValue;

/** What the daemon does with changes that arrive while a reconcile is running. */
public enum BusyPolicy {
    /**
     * Merge them into the pending set; exactly one rerun follows the running reconcile and holds the union
     * of everything that arrived meanwhile. The default.
     */
    QUEUE("queue"),
    /**
     * Discard them and count them in {@link DaemonStatus#droppedChanges()}. The one policy that gives up
     * guarantee "no lost change", on purpose. Manual, retry and continuation ticks are still honoured.
     */
    DROP("drop"),
    /**
     * Cancel the running reconcile, merge its change set back in front of the new changes, and rerun at once.
     * The cancel happens when the batch holding the new changes closes (one restart per burst, not per
     * event). A reconciler that must not overlap with its own rerun should release its resources before its
     * cancellation handler returns.
     */
    RESTART("restart");

    private final String wireName;

    BusyPolicy(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used in JSON.
     *
     * @return {@code queue}, {@code drop} or {@code restart}
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
