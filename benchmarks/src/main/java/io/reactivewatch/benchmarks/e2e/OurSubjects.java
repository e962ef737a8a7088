package io.reactivewatch.benchmarks.e2e;

import java.util.List;

/** Our own subjects; filled in once the filesystem module's {@code WatchDaemon} is available. */
final class OurSubjects {

    static final String NATIVE = "rw-native";
    static final String POLLING = "rw-polling";
    /** The daemon's default coalescing window, which the subjects keep. */
    static final long WINDOW_MS = 50;

    private OurSubjects() {
    }

    static List<Subjects.Spec> specs() {
        return List.of();
    }
}
