package io.reactivewatch.benchmarks.e2e;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.io.monitor.FileAlterationListenerAdaptor;
import org.apache.commons.io.monitor.FileAlterationMonitor;
import org.apache.commons.io.monitor.FileAlterationObserver;

/**
 * Commons IO's {@link FileAlterationMonitor}: a thread that compares the tree with its last scan every
 * interval and calls the listener per file. The callbacks of one scan are one batch, and a batch with at
 * least one change is one trigger, run when the scan ends ({@code onStop}).
 */
final class CommonsIoSubject implements Subject {

    private final Duration interval;
    private FileAlterationMonitor monitor;

    CommonsIoSubject(Duration interval) {
        this.interval = interval;
    }

    @Override
    public void start(Path root, Probe probe) throws Exception {
        FileAlterationObserver observer = FileAlterationObserver.builder().setFile(root.toFile()).get();
        observer.addListener(new FileAlterationListenerAdaptor() {
            private List<Path> batch = new ArrayList<>();

            @Override
            public void onStart(FileAlterationObserver o) {
                batch = new ArrayList<>();
            }

            @Override
            public void onDirectoryCreate(File dir) {
                batch.add(dir.toPath());
            }

            @Override
            public void onDirectoryChange(File dir) {
                batch.add(dir.toPath());
            }

            @Override
            public void onDirectoryDelete(File dir) {
                batch.add(dir.toPath());
            }

            @Override
            public void onFileCreate(File file) {
                batch.add(file.toPath());
            }

            @Override
            public void onFileChange(File file) {
                batch.add(file.toPath());
            }

            @Override
            public void onFileDelete(File file) {
                batch.add(file.toPath());
            }

            @Override
            public void onStop(FileAlterationObserver o) {
                if (!batch.isEmpty()) {
                    probe.blockingTrigger(batch);
                }
            }
        });
        monitor = new FileAlterationMonitor(interval.toMillis(), observer);
        monitor.setThreadFactory(r -> {
            Thread t = new Thread(r, "commons-io-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.start();
    }

    @Override
    public Duration quietAfter() {
        return interval.multipliedBy(2).plusMillis(500);
    }

    @Override
    public void stop() throws Exception {
        if (monitor != null) {
            monitor.stop(10_000);
        }
    }
}
