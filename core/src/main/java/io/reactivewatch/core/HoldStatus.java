package io.reactivewatch.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One open {@link Hold}, as {@link DaemonStatus#holds()} lists it.
 *
 * @param reason         why it was taken (a user's reason, or a source's, such as {@code git rebase in progress})
 * @param mode           whether it defers or drops what arrives
 * @param since          when it was opened, on the daemon's clock
 * @param droppedChanges how many events it discarded ({@link HoldMode#DROP}; always 0 for {@link HoldMode#DEFER})
 */
public record HoldStatus(String reason, HoldMode mode, Instant since, long droppedChanges) {

    /**
     * Checks the components.
     *
     * @param reason         why it was taken
     * @param mode           whether it defers or drops what arrives
     * @param since          when it was opened
     * @param droppedChanges how many events it discarded
     * @throws NullPointerException if {@code reason}, {@code mode} or {@code since} is {@code null}
     */
    public HoldStatus {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(since, "since");
    }
}
