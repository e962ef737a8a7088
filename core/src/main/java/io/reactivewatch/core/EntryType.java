package io.reactivewatch.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a changed path is a regular file (or anything that is not a directory) or a directory. */
public enum EntryType {
    /** A file, a symbolic link that is not followed, or any other non-directory entry. */
    FILE("file"),
    /** A directory. */
    DIR("dir");

    private final String wireName;

    EntryType(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used in JSON.
     *
     * @return {@code file} or {@code dir}
     */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @param name {@code file} or {@code dir} (case-insensitive)
     * @return the type
     * @throws IllegalArgumentException if the name is neither
     */
    @JsonCreator
    public static EntryType fromWireName(String name) {
        for (EntryType type : values()) {
            if (type.wireName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown entry type: " + name);
    }
}
