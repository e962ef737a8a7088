package io.reactivewatch.benchmarks.e2e;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw JDK {@link WatchService} the way its tutorial writes a recursive watcher: register every directory,
 * and on a created directory register it and its subdirectories. Files already inside a new directory are
 * not reported (the tutorial does not), and an overflow loses what it covered. One trigger per watch key
 * taken from the service: the natural batch of that loop.
 */
final class JdkWatchServiceSubject implements Subject {

    private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();
    private WatchService service;
    private Thread loop;
    private Probe probe;

    @Override
    public void start(Path root, Probe probe) throws IOException {
        this.probe = probe;
        service = FileSystems.getDefault().newWatchService();
        registerTree(root);
        loop = new Thread(this::run, "jdk-watch-service");
        loop.setDaemon(true);
        loop.start();
    }

    private void registerTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                dirs.put(dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                Path dir = dirs.get(key);
                List<Path> changed = new ArrayList<>();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == OVERFLOW) {
                        probe.overflow();
                        continue;
                    }
                    if (dir == null) {
                        continue;
                    }
                    Path child = dir.resolve((Path) event.context());
                    changed.add(child);
                    if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                        try {
                            registerTree(child);
                        } catch (IOException e) {
                            // The directory went away again: nothing to watch.
                        }
                    }
                }
                if (!key.reset()) {
                    dirs.remove(key);
                }
                if (!changed.isEmpty()) {
                    probe.blockingTrigger(changed);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public Duration quietAfter() {
        return Duration.ofMillis(1000);
    }

    @Override
    public void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (loop != null) {
            loop.interrupt();
            loop.join(10_000);
        }
    }
}
