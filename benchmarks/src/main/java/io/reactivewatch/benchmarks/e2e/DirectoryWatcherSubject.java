package io.reactivewatch.benchmarks.e2e;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * {@code io.methvin:directory-watcher} with its defaults (file hashing on). It calls its listener once per
 * event on its watch thread, so every callback is one trigger.
 */
final class DirectoryWatcherSubject implements Subject {

    private DirectoryWatcher watcher;
    private ExecutorService executor;

    @Override
    public void start(Path root, Probe probe) throws Exception {
        watcher = DirectoryWatcher.builder()
                .path(root)
                .listener(event -> {
                    if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
                        probe.overflow();
                    }
                    probe.blockingTrigger(event.path() == null ? List.of() : List.of(event.path()));
                })
                .build();
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "directory-watcher");
            t.setDaemon(true);
            return t;
        });
        watcher.watchAsync(executor);
    }

    @Override
    public Duration quietAfter() {
        return Duration.ofMillis(1000);
    }

    @Override
    public void stop() throws Exception {
        if (watcher != null) {
            watcher.close();
        }
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
