package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs inside a fresh JVM per subject (burst workloads) or per idle repeat, so one watcher's threads, caches
 * and heap never show up in another's figures. Appends one {@link Result} line per measured run.
 */
final class ChildRunner {

    private final Map<String, String> opts;
    private final Path results;
    private final String session;

    private ChildRunner(Map<String, String> opts) {
        this.opts = opts;
        this.results = Path.of(opts.get("results"));
        this.session = opts.get("session");
    }

    static int main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ChildRunner runner = new ChildRunner(opts);
        if (opts.containsKey("idle-tree")) {
            runner.idle();
        } else if (opts.containsKey("large-tree")) {
            runner.largeTree();
        } else if (opts.containsKey("memory")) {
            MemoryCheck.run(runner.results, runner.session);
        } else if (opts.containsKey("state-check")) {
            StateCheck.run(runner.results, runner.session, Path.of(opts.get("tmp")));
        } else {
            runner.bursts();
        }
        return 0;
    }

    // ------------------------------------------------------------------ W1–W5

    private void bursts() throws Exception {
        Subjects.Spec spec = Subjects.byId(opts.get("subject"));
        List<Workload> workloads = new ArrayList<>();
        for (String w : opts.get("workloads").split(",")) {
            workloads.add(Workload.valueOf(w));
        }
        List<Long> rs = new ArrayList<>();
        for (String r : opts.get("r").split(",")) {
            rs.add(Long.parseLong(r));
        }
        int repeats = Integer.parseInt(opts.get("repeats"));
        int warmup = Integer.parseInt(opts.get("warmup"));
        Path tmp = Path.of(opts.get("tmp"));
        long deadlineMs = Long.parseLong(opts.get("deadline-ms"));

        for (int i = 0; i < warmup; i++) {
            for (Workload w : workloads) {
                if (w == Workload.W3 || w == Workload.W4) {
                    continue; // long runs; the short workloads already exercise the same code paths
                }
                log("%s %s warm-up %d", spec.id(), w, i + 1);
                runBurst(spec, w, Duration.ZERO, tmp, deadlineMs, null);
            }
        }
        for (Workload w : workloads) {
            for (long r : rs) {
                for (int rep = 1; rep <= repeats; rep++) {
                    Map<String, String> m = runBurst(spec, w, Duration.ofMillis(r), tmp, deadlineMs,
                            recordingFile(spec.id() + "-" + w.name() + "-R" + r + "-" + rep));
                    Result.append(results, new Result(session, spec.id(), w.name(), r, rep, m));
                    log("%s %s R=%d #%d %s", spec.id(), w, r, rep, m);
                }
            }
        }
    }

    /** Where a measured window's flight recording goes, or {@code null} when none was asked for. */
    private Path recordingFile(String name) {
        String dir = opts.get("jfr");
        return dir == null ? null : Path.of(dir).resolve(name + ".jfr");
    }

    private Map<String, String> runBurst(Subjects.Spec spec, Workload w, Duration r, Path tmp, long deadlineMs,
            Path recording) throws Exception {
        Path root = Files.createTempDirectory(tmp, "rw-" + w.name() + "-").toRealPath();
        Map<String, String> m = new LinkedHashMap<>();
        try {
            w.prepare(root);
            Probe probe = new Probe(r);
            Subject subject = spec.factory().get();
            try {
                long t0 = System.nanoTime();
                subject.start(root, probe);
                m.put("startMs", ms(System.nanoTime() - t0));
                waitQuiet(probe, Duration.ofMillis(300), Duration.ofSeconds(10));
                int noise = probe.triggerCount();
                // Earlier runs in this JVM leave heap committed; a full GC lets G1 give it back before the peak
                // RSS of this run is taken.
                System.gc();

                long rescans0 = subject.rescans();
                Cost cost = Cost.begin(recording);
                Workload.Burst burst = w.run(root);
                long deadline = burst.lastWriteNanos() + deadlineMs * 1_000_000L;
                boolean settled = awaitQuiet(subject, probe, burst, r, deadline, cost);
                List<Probe.Span> spans = probe.spans();
                spans = spans.subList(noise, spans.size());
                measure(m, w == Workload.W4, burst, probe, spans, settled);
                cost.put(m, "", burst.events());
                putRescans(m, subject, rescans0);
                m.put("noise", Integer.toString(noise));
            } finally {
                subject.stop();
            }
        } finally {
            deleteTree(root);
        }
        return m;
    }

    /**
     * Waits until the subject is quiet after a burst and takes the cost window's end sample there. Quiet is
     * what the trigger and latency figures use: no reconcile running, and none started or ended for the
     * subject's quiet period plus R since the later of the last write and the last trigger activity; while
     * some written file is still unreported, three times that (at least 3 s); and at the latest at
     * {@code deadlineNanos}. The CPU window ends the first time the quiet period is over (taken again if the
     * subject becomes busy once more), so the longer wait for unreported files, and the harness's counting of
     * them, are not in it.
     *
     * @return whether the subject settled (went quiet) before the deadline
     */
    private static boolean awaitQuiet(Subject subject, Probe probe, Workload.Burst burst, Duration r,
            long deadlineNanos, Cost cost) throws InterruptedException {
        long quietNanos = subject.quietAfter().plus(r).toNanos();
        // A subject that has not reported every file yet may still be scanning a large tree: give it a longer
        // quiet period before calling the rest lost.
        long lossQuietNanos = Math.max(3 * quietNanos, 3_000_000_000L);
        Missing missing = new Missing(burst, probe);
        boolean settled = false;
        while (true) {
            long now = System.nanoTime();
            long lastActivity = Math.max(burst.lastWriteNanos(), probe.lastActivityNanos());
            long quiet = now - lastActivity;
            if (probe.running() == 0 && quiet >= quietNanos) {
                cost.quiet(lastActivity);
                if (quiet >= lossQuietNanos || missing.count() == 0) {
                    settled = true;
                    break;
                }
            }
            if (now - deadlineNanos > 0) {
                break;
            }
            Thread.sleep(10);
        }
        cost.end(settled);
        return settled;
    }

    private static void measure(Map<String, String> m, boolean gaps, Workload.Burst burst, Probe probe,
            List<Probe.Span> spans, boolean settled) {
        long first = burst.firstWriteNanos();
        long last = burst.lastWriteNanos();
        int during = 0;
        Probe.Span lastSpan = null;
        List<Long> starts = new ArrayList<>();
        for (Probe.Span s : spans) {
            if (s.startNanos - first >= 0 && s.startNanos - last <= 0) {
                during++;
                starts.add(s.startNanos);
            }
            if (lastSpan == null || s.startNanos - lastSpan.startNanos > 0) {
                lastSpan = s;
            }
        }
        int lost = new Missing(burst, probe).count();
        m.put("burstMs", ms(last - first));
        m.put("triggers", Integer.toString(spans.size()));
        m.put("during", Integer.toString(during));
        m.put("maxConcurrent", Integer.toString(probe.maxRunning()));
        m.put("overlaps", Integer.toString(probe.overlaps()));
        m.put("toLastTriggerMs", lastSpan == null ? "" : ms(lastSpan.startNanos - last));
        long end = lastSpan == null ? -1 : lastSpan.endNanos;
        m.put("toSettledMs", lastSpan == null || end == -1 ? "" : ms(end - last));
        m.put("truth", Integer.toString(burst.truth().size()));
        m.put("lost", Integer.toString(lost));
        m.put("settled", settled ? "1" : "0");
        m.put("overflows", Long.toString(probe.overflows()));
        m.put("load1", Machine.loadAverage().split("/")[0]);
        if (gaps) {
            long gap = 0;
            long previous = first;
            starts.sort(Long::compare);
            for (long s : starts) {
                gap = Math.max(gap, s - previous);
                previous = s;
            }
            gap = Math.max(gap, last - previous);
            m.put("gapMs", ms(gap));
        }
    }

    /** The subject's rescans during the run, when it tells them (see {@link Subject#rescans()}). */
    private static void putRescans(Map<String, String> m, Subject subject, long before) {
        long after = subject.rescans();
        m.put("rescans", before < 0 || after < 0 ? "" : Long.toString(after - before));
    }

    /**
     * How many written files no trigger reported yet. Counted again only when a new path was reported since
     * the last count: W7's 200,000 paths would otherwise be looked up every 10 ms while the harness waits.
     */
    private static final class Missing {
        private final Workload.Burst burst;
        private final Probe probe;
        private long countedAt = -1;
        private int missing;

        Missing(Workload.Burst burst, Probe probe) {
            this.burst = burst;
            this.probe = probe;
        }

        int count() {
            long adds = probe.reportedAdds();
            if (adds != countedAt) {
                int n = 0;
                for (Path p : burst.truth()) {
                    if (!probe.wasReported(p)) {
                        n++;
                    }
                }
                missing = n;
                countedAt = adds;
            }
            return missing;
        }
    }

    private static void waitQuiet(Probe probe, Duration quiet, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (probe.running() == 0 && System.nanoTime() - probe.lastActivityNanos() >= quiet.toNanos()) {
                return;
            }
            Thread.sleep(10);
        }
    }

    // ------------------------------------------------------------------ W7

    private void largeTree() throws Exception {
        Subjects.Spec spec = Subjects.byId(opts.get("subject"));
        int repeats = Integer.parseInt(opts.get("repeats"));
        int warmup = Integer.parseInt(opts.get("warmup"));
        Path tmp = Path.of(opts.get("tmp"));
        long deadlineMs = Long.parseLong(opts.get("deadline-ms"));
        for (int i = 0; i < warmup; i++) {
            warmUpLargeTree(spec, tmp, deadlineMs, i + 1);
        }
        for (int rep = 1; rep <= repeats; rep++) {
            Map<String, String> m = runLargeTree(spec, tmp, deadlineMs, rep);
            Result.append(results, new Result(session, spec.id(), "W7", 0, rep, m));
            log("%s W7 #%d %s", spec.id(), rep, m);
        }
    }

    /**
     * The three W7 phases over {@link LargeTree#WARM_UP_TOPS} top-level directories, unrecorded: W7's JVM runs
     * nothing else before it, where the W1–W5 JVM has its warm-up rounds.
     */
    private static void warmUpLargeTree(Subjects.Spec spec, Path tmp, long deadlineMs, int round) throws Exception {
        log("%s W7-shaped warm-up %d (%d files)", spec.id(), round,
                LargeTree.WARM_UP_TOPS * (LargeTree.SUBDIRS + 1) * LargeTree.FILES_PER_DIRECTORY);
        Path root = Files.createTempDirectory(tmp, "rw-warm-up-").toRealPath();
        try {
            Probe probe = new Probe(Duration.ZERO);
            Subject subject = spec.factory().get();
            try {
                subject.start(root, probe);
                waitQuiet(probe, Duration.ofMillis(300), Duration.ofSeconds(10));
                for (LargeTree.Phase phase : LargeTree.Phase.values()) {
                    probe.newPhase();
                    Workload.Burst burst = LargeTree.run(phase, root, LargeTree.WARM_UP_TOPS);
                    awaitQuiet(subject, probe, burst, Duration.ZERO, burst.lastWriteNanos() + deadlineMs * 1_000_000L,
                            Cost.begin(null));
                }
            } finally {
                subject.stop();
            }
        } finally {
            deleteTree(root);
        }
    }

    /**
     * One W7 run: the subject starts on an empty directory and sees the three phases of {@link LargeTree}, each
     * measured like a burst. Heap per tracked file is the heap after the create phase (full GC, the harness's
     * own record of that phase dropped) less the heap before it, over the 200,000 files; what is still held
     * after the delete phase is reported as kept.
     */
    private Map<String, String> runLargeTree(Subjects.Spec spec, Path tmp, long deadlineMs, int rep)
            throws Exception {
        Path root = Files.createTempDirectory(tmp, "rw-W7-").toRealPath();
        Map<String, String> m = new LinkedHashMap<>();
        try {
            Probe probe = new Probe(Duration.ZERO);
            Subject subject = spec.factory().get();
            try {
                long t0 = System.nanoTime();
                subject.start(root, probe);
                m.put("startMs", ms(System.nanoTime() - t0));
                waitQuiet(probe, Duration.ofMillis(300), Duration.ofSeconds(10));
                m.put("files", Integer.toString(LargeTree.FILES));
                m.put("directories", Integer.toString(LargeTree.DIRECTORIES));
                gc();
                long heapEmpty = heapUsed();
                for (LargeTree.Phase phase : LargeTree.Phase.values()) {
                    long began = System.nanoTime();
                    runPhase(subject, probe, phase, root, deadlineMs,
                            recordingFile(spec.id() + "-W7-" + phase.key() + "-" + rep), m);
                    log("%s W7 #%d %s took %.1f s", spec.id(), rep, phase.key(), (System.nanoTime() - began) / 1e9);
                    probe.newPhase(); // the reported paths and spans are the harness's, not the subject's heap
                    gc();
                    long heap = heapUsed();
                    if (phase == LargeTree.Phase.CREATE) {
                        m.put("heapTrackedDelta", Long.toString(heap - heapEmpty));
                        m.put("heapPerFile", String.format(Locale.ROOT, "%.1f",
                                (heap - heapEmpty) / (double) LargeTree.FILES));
                    } else if (phase == LargeTree.Phase.DELETE) {
                        m.put("heapKeptAfterDelete", Long.toString(heap - heapEmpty));
                    }
                }
                m.put("peakRssKb", Long.toString(Cost.statusKb("VmHWM:")));
                m.put("load1", Machine.loadAverage().split("/")[0]);
            } finally {
                subject.stop();
            }
        } finally {
            deleteTree(root);
        }
        return m;
    }

    /**
     * One phase of W7, measured like a burst; its figures go into {@code m} under the phase's prefix. The
     * deadline is as long after the last write as the phase took to write, if that is longer than the usual
     * one: a subject that keeps pace with a two-minute burst may legitimately report its end later than 10 s.
     */
    private static void runPhase(Subject subject, Probe probe, LargeTree.Phase phase, Path root, long deadlineMs,
            Path recording, Map<String, String> m) throws Exception {
        probe.newPhase();
        System.gc();
        long rescans0 = subject.rescans();
        Cost cost = Cost.begin(recording);
        Workload.Burst burst = LargeTree.run(phase, root, LargeTree.TOPS);
        long took = burst.lastWriteNanos() - burst.firstWriteNanos();
        long deadline = burst.lastWriteNanos() + Math.max(deadlineMs * 1_000_000L, took);
        boolean settled = awaitQuiet(subject, probe, burst, Duration.ZERO, deadline, cost);
        List<Probe.Span> spans = probe.spans();
        Map<String, String> figures = new LinkedHashMap<>();
        measure(figures, false, burst, probe, spans, settled);
        cost.put(figures, "", burst.events());
        putRescans(figures, subject, rescans0);
        figures.remove("load1");
        figures.forEach((k, v) -> m.put(phase.key() + "." + k, v));
    }

    // ------------------------------------------------------------------ W6

    private void idle() throws Exception {
        Subjects.Spec spec = Subjects.byId(opts.get("subject"));
        Path root = Path.of(opts.get("idle-tree"));
        long idleMs = Long.parseLong(opts.get("idle-ms"));
        int repeat = Integer.parseInt(opts.get("repeat"));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        Map<String, String> m = new LinkedHashMap<>();
        gc();
        long heap0 = heapUsed();
        long rss0 = rssBytes();
        int threads0 = threads.getThreadCount();
        Probe probe = new Probe(Duration.ZERO);
        Subject subject = spec.factory().get();
        try {
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            subject.start(root, probe);
            long t1 = System.nanoTime();
            long cpu1 = os.getProcessCpuTime();
            m.put("startMs", ms(t1 - t0));
            m.put("startCpuMs", ms(cpu1 - cpu0));
            // Let start-up work that runs on other threads (JIT, a first poll) finish before measuring idle.
            Thread.sleep(2000);
            Path recordingFile = recordingFile(spec.id() + "-W6-idle-" + repeat);
            jdk.jfr.Recording recording = recordingFile == null ? null : Cost.startRecording();
            List<String> windows = new ArrayList<>();
            long idleStart = System.nanoTime();
            long windowMs = Math.min(10_000, idleMs);
            for (long done = 0; done < idleMs; done += windowMs) {
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                Thread.sleep(windowMs);
                long c1 = os.getProcessCpuTime();
                long w1 = System.nanoTime();
                windows.add(String.format(Locale.ROOT, "%.3f", 100.0 * (c1 - c0) / (w1 - w0)));
            }
            m.put("idleCpuPct", String.join("|", windows));
            Cost.logWindow(idleStart, System.nanoTime());
            Cost.finishRecording(recording, recordingFile);
            gc();
            long heap1 = heapUsed();
            long rss1 = rssBytes();
            m.put("heapDelta", Long.toString(heap1 - heap0));
            m.put("rssDelta", rss0 < 0 || rss1 < 0 ? "" : Long.toString(rss1 - rss0));
            long peak = Cost.statusKb("VmHWM:");
            m.put("peakRssKb", peak < 0 ? "" : Long.toString(peak));
            m.put("heapPerFile", String.format(Locale.ROOT, "%.1f", (heap1 - heap0) / (double) IdleTree.FILES));
            m.put("threads", Integer.toString(threads.getThreadCount() - threads0));
            m.put("triggers", Integer.toString(probe.triggerCount()));
        } finally {
            subject.stop();
        }
        Result.append(results, new Result(session, spec.id(), "W6", 0, repeat, m));
        log("%s W6 #%d %s", spec.id(), repeat, m);
    }

    private static void gc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(150);
        }
    }

    /**
     * The heap the last collection kept (call after {@link #gc()}). The heap's current use would also count
     * what a subject allocated since that collection: a polling scan allocates tens of megabytes of garbage
     * in the 150 ms after the last {@code System.gc()}, which made a polling subject's heap per file double
     * or not depending on whether a scan ran then.
     */
    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                MemoryUsage afterGc = pool.getCollectionUsage();
                used += afterGc != null ? afterGc.getUsed() : pool.getUsage().getUsed();
            }
        }
        return used;
    }

    static long rssBytes() {
        long kb = Cost.statusKb("VmRSS:");
        return kb < 0 ? -1 : kb * 1024;
    }

    // ------------------------------------------------------------------ helpers

    static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1_000_000.0);
    }

    static void log(String format, Object... args) {
        System.out.println("[e2e] " + String.format(Locale.ROOT, format, args));
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
