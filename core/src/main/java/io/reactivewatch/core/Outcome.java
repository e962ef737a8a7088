package io.reactivewatch.core;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a reconcile ended. Every outcome but {@link #OK} puts the tick's change set back into pending. */
public enum Outcome {
    /** The reconciler's {@code Mono} completed, with or without a value. */
    OK("ok"),
    /** The reconciler threw or its {@code Mono} signalled an error; the {@link RetryPolicy} decides what follows. */
    FAILED("failed"),
    /** The reconciler ran past the per-tick timeout and was cancelled; handled like {@link #FAILED}. */
    TIMED_OUT("timed-out"),
    /** The reconcile was cancelled: by the {@link BusyPolicy#RESTART} policy or by shutdown. */
    CANCELLED("cancelled");

    private final String wireName;

    Outcome(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used in JSON.
     *
     * @return {@code ok}, {@code failed}, {@code timed-out} or {@code cancelled}
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
