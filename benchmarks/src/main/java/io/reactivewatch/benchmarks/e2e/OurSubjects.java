package io.reactivewatch.benchmarks.e2e;

import io.reactivewatch.watch.Backend;
import java.time.Duration;
import java.util.List;

/** Our own subjects: a {@code FileSource} on each backend in a {@code ReconcileDaemon}, with default settings. */
final class OurSubjects {

    static final String NATIVE = "rw-native";
    static final String POLLING = "rw-polling";
    /** The daemon's default coalescing window, which the subjects keep. */
    static final long WINDOW_MS = 50;

    private OurSubjects() {
    }

    static List<Subjects.Spec> specs() {
        return List.of(
                new Subjects.Spec(NATIVE, "reactive-watch native", "FileSource + ReconcileDaemon defaults: "
                        + "native backend, window " + WINDOW_MS + " ms with no count cap, busy policy queue",
                        () -> new ReactiveWatchSubject(Backend.NATIVE, null)),
                new Subjects.Spec(POLLING, "reactive-watch polling 1 s", "FileSource + ReconcileDaemon "
                        + "defaults with the polling backend: scan interval 1 s, window " + WINDOW_MS + " ms",
                        () -> new ReactiveWatchSubject(Backend.POLLING, Duration.ofSeconds(1))));
    }
}
