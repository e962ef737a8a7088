package io.reactivewatch.benchmarks.e2e;

import java.nio.file.Path;
import java.time.Duration;

/** No watcher at all: the JVM's own baseline for the idle workload. */
final class IdleSubject implements Subject {

    @Override
    public void start(Path root, Probe probe) {
        // nothing to start
    }

    @Override
    public Duration quietAfter() {
        return Duration.ofMillis(500);
    }

    @Override
    public void stop() {
        // nothing to stop
    }
}
