package io.reactivewatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Why a tick ran. A tick carries every trigger that accumulated while it was pending. */
public enum Trigger {
    /** The first tick after start: changes made while the daemon was down, or an unconditional run. */
    STARTUP("startup"),
    /** Changes reported by a native (event-driven) source. */
    WATCH("watch"),
    /** Changes reported by a polling source, or a periodic tick from the builder's {@code tickInterval}. */
    POLL("poll"),
    /** {@code tickNow()} was called. */
    MANUAL("manual"),
    /** An earlier tick failed or timed out and its changes are tried again after the retry policy's backoff. */
    RETRY("retry"),
    /** An earlier tick hit the per-tick budget and left changes pending. */
    CONTINUATION("continuation"),
    /** A source reported a {@link Rescan} marker. */
    RESCAN("rescan");

    private final String wireName;

    Trigger(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used in JSON.
     *
     * @return the wire name, such as {@code watch}
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @param name the wire name (case-insensitive)
     * @return the trigger
     * @throws IllegalArgumentException if the name is unknown
     */
    @JsonCreator
    public static Trigger fromWireName(String name) {
        for (Trigger t : values()) {
            if (t.wireName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown trigger: " + name);
    }
}
