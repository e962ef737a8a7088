package io.reactivewatch.watch;

import java.nio.file.Path;
import java.time.Duration;

/** Builds daemons the way the behavioural tests need them: small intervals, a recorder, started. */
final class Fixture {

    /** Small enough that polling tests stay fast, large enough for two cores shared with other builds. */
    static final Duration POLL = Duration.ofMillis(75);

    private Fixture() {
    }

    static WatchDaemon.Builder<Void> builder(Backend backend, Path root, TickRecorder recorder) {
        return WatchDaemon.builder(recorder)
                .root(root)
                .backend(backend)
                .pollInterval(POLL)
                .window(Duration.ofMillis(30))
                .stopGracePeriod(Duration.ofSeconds(2));
    }

    static WatchDaemon<Void> start(WatchDaemon.Builder<Void> builder, TickRecorder recorder) {
        WatchDaemon<Void> daemon = builder.build();
        recorder.follow(daemon);
        daemon.start();
        return daemon;
    }
}
