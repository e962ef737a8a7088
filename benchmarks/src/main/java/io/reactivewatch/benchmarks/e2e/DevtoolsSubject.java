package io.reactivewatch.benchmarks.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.devtools.filewatch.ChangedFile;
import org.springframework.boot.devtools.filewatch.ChangedFiles;
import org.springframework.boot.devtools.filewatch.FileSystemWatcher;

/**
 * Spring Boot DevTools' {@link FileSystemWatcher}: it polls snapshots every poll interval and reports a
 * batch once the tree stayed unchanged for the quiet period. One {@code onChange} batch is one trigger.
 */
final class DevtoolsSubject implements Subject {

    private final Duration pollInterval;
    private final Duration quietPeriod;
    private FileSystemWatcher watcher;

    DevtoolsSubject(Duration pollInterval, Duration quietPeriod) {
        this.pollInterval = pollInterval;
        this.quietPeriod = quietPeriod;
    }

    @Override
    public void start(Path root, Probe probe) {
        watcher = new FileSystemWatcher(true, pollInterval, quietPeriod);
        watcher.addSourceDirectory(root.toFile());
        watcher.addListener(changeSet -> {
            List<Path> paths = new ArrayList<>();
            for (ChangedFiles files : changeSet) {
                for (ChangedFile file : files) {
                    paths.add(file.getFile().toPath());
                }
            }
            probe.blockingTrigger(paths);
        });
        watcher.start();
    }

    @Override
    public Duration quietAfter() {
        return pollInterval.multipliedBy(2).plus(quietPeriod).plusMillis(500);
    }

    @Override
    public void stop() {
        if (watcher != null) {
            watcher.stop();
        }
    }
}
