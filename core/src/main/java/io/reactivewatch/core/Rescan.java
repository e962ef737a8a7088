package io.reactivewatch.core;

import java.util.Objects;
import java.nio.file.Path;

/**
 * A marker that the source may have missed events under {@code path} (an overflow, a lost root, a corrupt
 * state file) and the reconciler should re-derive the truth there instead of trusting the change set alone.
 *
 * <p>A rescan marker survives merging: the next tick's {@link ChangeSet#rescan()} is {@code true} and its
 * triggers contain {@link Trigger#RESCAN}. Sources emit the changes their own rescan found as ordinary
 * {@link Change}s next to the marker.
 *
 * @param path   the subtree concerned (a watch root for a full rescan)
 * @param reason a short human-readable reason, such as {@code "overflow"}
 */
public record Rescan(Path path, String reason) implements SourceEvent {

    /**
     * Validates the components.
     *
     * @param path   the subtree concerned (a watch root for a full rescan)
     * @param reason a short human-readable reason, such as {@code "overflow"}
     * @throws NullPointerException if any component is {@code null}
     */
    public Rescan {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }
}
