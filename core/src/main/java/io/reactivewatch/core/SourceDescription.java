package io.reactivewatch.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a source says about itself for {@link DaemonStatus}: the filesystem module reports its roots,
 * backend, scan interval and how many files and directories it tracks here.
 *
 * @param watchPaths         the roots being watched, as strings
 * @param backend            {@code native}, {@code polling}, or another short name
 * @param backendError       the last registration or I/O problem of the source, or {@code null}
 * @param trackedFiles       how many paths the source tracks that are not directories (a source that does
 *                           not tell directories apart counts every path here)
 * @param scanInterval       how often a polling source scans, or {@code null} for an event-driven one
 * @param trackedDirectories how many directories the source tracks below its roots
 */
public record SourceDescription(List<String> watchPaths, String backend, @Nullable String backendError,
        long trackedFiles, @Nullable Duration scanInterval, long trackedDirectories) {

    /** A source that says nothing about itself. */
    public static final SourceDescription NONE = new SourceDescription(List.of(), "custom", null, 0, null, 0);

    /**
     * Validates and copies the components.
     *
     * @param watchPaths   the roots being watched, as strings
     * @param backend      {@code native}, {@code polling}, or another short name
     * @param backendError the last registration or I/O problem of the source, or {@code null}
     * @param trackedFiles       how many paths the source tracks that are not directories
     * @param scanInterval       how often a polling source scans, or {@code null} for an event-driven one
     * @param trackedDirectories how many directories the source tracks below its roots
     * @throws NullPointerException if {@code watchPaths} or {@code backend} is {@code null}
     */
    public SourceDescription {
        watchPaths = List.copyOf(Objects.requireNonNull(watchPaths, "watchPaths"));
        Objects.requireNonNull(backend, "backend");
    }

    /**
     * A description that does not tell directories apart: {@code trackedFiles} counts every tracked path and
     * {@link #trackedDirectories()} is 0.
     *
     * @param watchPaths   the roots being watched, as strings
     * @param backend      {@code native}, {@code polling}, or another short name
     * @param backendError the last registration or I/O problem of the source, or {@code null}
     * @param trackedFiles how many paths the source tracks
     * @param scanInterval how often a polling source scans, or {@code null} for an event-driven one
     * @throws NullPointerException if {@code watchPaths} or {@code backend} is {@code null}
     */
    public SourceDescription(List<String> watchPaths, String backend, @Nullable String backendError,
            long trackedFiles, @Nullable Duration scanInterval) {
        this(watchPaths, backend, backendError, trackedFiles, scanInterval, 0);
    }
}
