package io.reactivewatch.watch;

import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.ReconcileDaemon;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds sources and daemons the way the behavioural tests need them: small intervals, a recorder,
 * started. The filesystem options go on the {@link FileSource} builder, every daemon option on the core's.
 */
final class Fixture {

    /** Small enough that polling tests stay fast, large enough for two cores shared with other builds. */
    static final Duration POLL = Duration.ofMillis(75);
    static final Coalescing WINDOW = Coalescing.window(Duration.ofMillis(30));

    private Fixture() {
    }

    static FileSource.Builder source(Backend backend, Path root) {
        return FileSource.builder()
                .root(root)
                .backend(backend)
                .scanInterval(POLL);
    }

    static ReconcileDaemon.Builder<Void> daemon(FileSource source, TickRecorder recorder) {
        return daemon(source, recorder, WINDOW);
    }

    static ReconcileDaemon.Builder<Void> daemon(FileSource source, TickRecorder recorder, Coalescing coalescing) {
        return ReconcileDaemon.builder(recorder)
                .source(source)
                .coalescing(coalescing)
                .stopGracePeriod(Duration.ofSeconds(2));
    }

    static ReconcileDaemon<Void> start(ReconcileDaemon.Builder<Void> builder, TickRecorder recorder) {
        ReconcileDaemon<Void> daemon = builder.build();
        recorder.follow(daemon);
        daemon.start();
        return daemon;
    }
}
