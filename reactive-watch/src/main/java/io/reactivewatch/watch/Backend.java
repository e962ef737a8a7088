package io.reactivewatch.watch;

/** How a {@link FileSource} learns about filesystem changes. */
public enum Backend {
    /**
     * The platform's change notification ({@code java.nio.file.WatchService}, inotify on Linux), registered
     * on every directory of the tree. Events are hints: every reported path is checked against the tracked
     * snapshot. The default.
     */
    NATIVE("native"),
    /**
     * A full snapshot diff every {@link FileSource.Builder#scanInterval scan interval}: for network
     * filesystems and containers without inotify.
     */
    POLLING("polling");

    private final String wireName;

    Backend(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name used in status and JSON.
     *
     * @return {@code native} or {@code polling}
     */
    public String wireName() {
        return wireName;
    }
}
