package io.reactivewatch.benchmarks.e2e;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeSource;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.DaemonState;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceDescription;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.core.Trigger;
import io.reactivewatch.watch.Backend;
import io.reactivewatch.watch.FileSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * STATE: what the state store costs per tick with a large tracked tree. A daemon on the native backend
 * watches 200,000 files with a state file (on the same disk as the tree); one file is modified at a time,
 * and each tick's wait for durability is measured: the source's incremental checkpoint plus the store's
 * write and fsync, which run before the tick's reconcile may start. Bytes are what that write added to the
 * state files. Full saves (the baseline at start, and compactions) are reported apart.
 */
final class StateCheck {

    static final int TOP_DIRS = 100;
    static final int SUB_DIRS = 100;
    static final int FILES_PER_DIR = 20;
    static final int FILES = TOP_DIRS * SUB_DIRS * FILES_PER_DIR;
    static final int WARMUP_TICKS = 50;
    static final int TICKS = 500;

    private StateCheck() {
    }

    /** One write of the state: a full save or a journal record. */
    record Write(boolean full, boolean beforeTick, long bytes, long nanos) {
    }

    static void run(Path results, String session, Path tmp) throws Exception {
        Path tree = tmp.resolve("state-tree");
        if (!Files.isDirectory(tree)) {
            Files.createDirectories(tree);
            ChildRunner.log("creating the STATE tree (%d files)", FILES);
            create(tree);
        }
        Path stateDir = Files.createDirectories(tmp.resolve("state-store"));
        Path stateFile = stateDir.resolve("state.json");
        Files.deleteIfExists(stateFile);
        Files.deleteIfExists(stateDir.resolve("state.json.journal"));

        AtomicLong changesNanos = new AtomicLong();
        List<Write> writes = new CopyOnWriteArrayList<>();
        TimedStore store = new TimedStore(StateStore.file(stateFile), stateFile, changesNanos, writes);
        FileSource files = FileSource.builder().root(tree.toRealPath()).backend(Backend.NATIVE).build();
        AtomicLong ticks = new AtomicLong();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(
                        tick -> Mono.fromRunnable(ticks::incrementAndGet))
                .source(new TimedSource(files, changesNanos))
                .coalescing(Coalescing.window(Duration.ofMillis(10)))
                .stateStore(store)
                .build();
        long t0 = System.nanoTime();
        daemon.start();
        ChildRunner.log("STATE daemon started in %d ms, tracking %d", (System.nanoTime() - t0) / 1_000_000,
                daemon.status().trackedFiles());
        int measuredFrom = -1;
        try {
            for (int i = 0; i < WARMUP_TICKS + TICKS; i++) {
                if (i == WARMUP_TICKS) {
                    measuredFrom = writes.size();
                }
                long before = ticks.get();
                Path f = tree.resolve("top" + (i % TOP_DIRS)).resolve("sub" + (i * 7 % SUB_DIRS))
                        .resolve("File" + (i % FILES_PER_DIR) + ".java");
                Workload.write(f, "class File { int v = " + i + "; }");
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (ticks.get() == before) {
                    if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("no tick for the change to " + f);
                    }
                    Thread.sleep(1);
                }
            }
        } finally {
            daemon.close();
        }
        List<Write> measured = new ArrayList<>(writes.subList(measuredFrom, writes.size()));
        List<Double> tickBytes = new ArrayList<>();
        List<Double> tickMs = new ArrayList<>();
        List<Double> fullBytes = new ArrayList<>();
        List<Double> fullMs = new ArrayList<>();
        long allBytes = 0;
        for (Write w : measured) {
            allBytes += w.bytes();
            if (w.beforeTick() && !w.full()) {
                tickBytes.add((double) w.bytes());
                tickMs.add(w.nanos() / 1e6);
            }
        }
        for (Write w : writes) {
            if (w.full()) {
                fullBytes.add((double) w.bytes());
                fullMs.add(w.nanos() / 1e6);
            }
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("files", Integer.toString(FILES));
        m.put("ticks", Integer.toString(TICKS));
        m.put("tickRecords", Integer.toString(tickBytes.size()));
        m.put("bytesMedian", fmt(percentile(tickBytes, 50)));
        m.put("bytesP90", fmt(percentile(tickBytes, 90)));
        m.put("bytesMax", fmt(percentile(tickBytes, 100)));
        m.put("durableMsMedian", fmt(percentile(tickMs, 50)));
        m.put("durableMsP90", fmt(percentile(tickMs, 90)));
        m.put("durableMsP99", fmt(percentile(tickMs, 99)));
        m.put("durableMsMax", fmt(percentile(tickMs, 100)));
        m.put("bytesPerTickAllWrites", fmt((double) allBytes / TICKS));
        m.put("writesMeasured", Integer.toString(measured.size()));
        m.put("fullSaves", Integer.toString(fullBytes.size()));
        m.put("fullSaveBytesMedian", fmt(percentile(fullBytes, 50)));
        m.put("fullSaveMsMedian", fmt(percentile(fullMs, 50)));
        Result.append(results, new Result(session, "rw-native", "_state", 0, 1, m));
        ChildRunner.log("STATE %s", m);
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3f", v);
    }

    static double percentile(List<Double> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static void create(Path root) throws IOException {
        for (int t = 0; t < TOP_DIRS; t++) {
            for (int s = 0; s < SUB_DIRS; s++) {
                Path dir = Files.createDirectories(root.resolve("top" + t).resolve("sub" + s));
                for (int f = 0; f < FILES_PER_DIR; f++) {
                    Workload.write(dir.resolve("File" + f + ".java"), "class File {}");
                }
            }
        }
    }

    /** Times the source's incremental checkpoint, which the engine takes right before each journal write. */
    private record TimedSource(FileSource delegate, AtomicLong changesNanos) implements ChangeSource {
        @Override
        public List<SourceEvent> open(SourceContext context) {
            return delegate.open(context);
        }

        @Override
        public Flux<SourceEvent> events() {
            return delegate.events();
        }

        @Override
        public Trigger trigger() {
            return delegate.trigger();
        }

        @Override
        public List<Change> currentTruth(List<Path> paths) {
            return delegate.currentTruth(paths);
        }

        @Override
        public String checkpoint() {
            long t = System.nanoTime();
            String s = delegate.checkpoint();
            changesNanos.set(System.nanoTime() - t);
            return s;
        }

        @Override
        public String checkpointChanges() {
            long t = System.nanoTime();
            String s = delegate.checkpointChanges();
            changesNanos.set(System.nanoTime() - t);
            return s;
        }

        @Override
        public SourceDescription describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** Times each write (with the checkpoint just before it) and measures what it added to the files. */
    private static final class TimedStore implements StateStore {
        private final StateStore delegate;
        private final Path file;
        private final AtomicLong changesNanos;
        private final List<Write> writes;
        /** The tick count of the last write: a write with a higher one is the one before that tick's reconcile. */
        private long lastTick = -1;

        TimedStore(StateStore delegate, Path file, AtomicLong changesNanos, List<Write> writes) {
            this.delegate = delegate;
            this.file = file;
            this.changesNanos = changesNanos;
            this.writes = writes;
        }

        private boolean beforeTick(DaemonState state) {
            boolean first = state.tickCount() > lastTick && lastTick >= 0;
            lastTick = state.tickCount();
            return first;
        }

        private Path journal() {
            return file.resolveSibling(file.getFileName() + ".journal");
        }

        private static long size(Path p) {
            try {
                return Files.size(p);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public Loaded load() {
            return delegate.load();
        }

        @Override
        public void save(DaemonState state) throws IOException {
            long t = System.nanoTime();
            delegate.save(state);
            long nanos = System.nanoTime() - t + changesNanos.getAndSet(0);
            writes.add(new Write(true, beforeTick(state), size(file) + size(journal()), nanos));
        }

        @Override
        public boolean appends() {
            return delegate.appends();
        }

        @Override
        public boolean append(DaemonState state, String sourceChanges) throws IOException {
            long before = size(journal());
            long t = System.nanoTime();
            boolean compact = delegate.append(state, sourceChanges);
            long nanos = System.nanoTime() - t + changesNanos.getAndSet(0);
            writes.add(new Write(false, beforeTick(state), size(journal()) - before, nanos));
            return compact;
        }

        @Override
        public boolean owns(Path path) {
            return delegate.owns(path);
        }
    }
}
