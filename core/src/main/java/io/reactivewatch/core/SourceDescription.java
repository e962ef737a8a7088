package io.reactivewatch.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a source says about itself for {@link DaemonStatus}: the filesystem module reports its roots,
 * backend, scan interval and tracked-file count here.
 *
 * @param watchPaths   the roots being watched, as strings
 * @param backend      {@code native}, {@code polling}, or another short name
 * @param backendError the last registration or I/O problem of the source, or {@code null}
 * @param trackedFiles how many paths the source tracks
 * @param scanInterval how often a polling source scans, or {@code null} for an event-driven one
 */
public record SourceDescription(List<String> watchPaths, String backend, @Nullable String backendError,
        long trackedFiles, @Nullable Duration scanInterval) {

    /** A source that says nothing about itself. */
    public static final SourceDescription NONE = new SourceDescription(List.of(), "custom", null, 0, null);

    /**
     * Validates and copies the components.
     *
     * @param watchPaths   the roots being watched, as strings
     * @param backend      {@code native}, {@code polling}, or another short name
     * @param backendError the last registration or I/O problem of the source, or {@code null}
     * @param trackedFiles how many paths the source tracks
     * @param scanInterval how often a polling source scans, or {@code null} for an event-driven one
     * @throws NullPointerException if {@code watchPaths} or {@code backend} is {@code null}
     */
    public SourceDescription {
        watchPaths = List.copyOf(Objects.requireNonNull(watchPaths, "watchPaths"));
        Objects.requireNonNull(backend, "backend");
    }
}
