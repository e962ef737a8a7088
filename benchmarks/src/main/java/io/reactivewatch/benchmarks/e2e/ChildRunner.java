package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
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
                runBurst(spec, w, Duration.ZERO, tmp, deadlineMs);
            }
        }
        for (Workload w : workloads) {
            for (long r : rs) {
                for (int rep = 1; rep <= repeats; rep++) {
                    Map<String, String> m = runBurst(spec, w, Duration.ofMillis(r), tmp, deadlineMs);
                    Result.append(results, new Result(session, spec.id(), w.name(), r, rep, m));
                    log("%s %s R=%d #%d %s", spec.id(), w, r, rep, m);
                }
            }
        }
    }

    private Map<String, String> runBurst(Subjects.Spec spec, Workload w, Duration r, Path tmp, long deadlineMs)
            throws Exception {
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

                Workload.Burst burst = w.run(root);
                long quietNanos = subject.quietAfter().plus(r).toNanos();
                // A subject that has not reported every file yet may still be scanning a large tree: give it
                // a longer quiet period before calling the rest lost.
                long lossQuietNanos = Math.max(3 * quietNanos, 3_000_000_000L);
                long deadline = burst.lastWriteNanos() + deadlineMs * 1_000_000L;
                boolean settled = false;
                while (true) {
                    long now = System.nanoTime();
                    long quiet = now - Math.max(burst.lastWriteNanos(), probe.lastActivityNanos());
                    if (probe.running() == 0 && quiet >= quietNanos
                            && (quiet >= lossQuietNanos || missing(burst, probe) == 0)) {
                        settled = true;
                        break;
                    }
                    if (now - deadline > 0) {
                        break;
                    }
                    Thread.sleep(10);
                }
                List<Probe.Span> spans = probe.spans();
                spans = spans.subList(noise, spans.size());
                measure(m, w, burst, probe, spans, settled);
                m.put("noise", Integer.toString(noise));
            } finally {
                subject.stop();
            }
        } finally {
            deleteTree(root);
        }
        return m;
    }

    private static void measure(Map<String, String> m, Workload w, Workload.Burst burst, Probe probe,
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
        int lost = missing(burst, probe);
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
        if (w == Workload.W4) {
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

    private static int missing(Workload.Burst burst, Probe probe) {
        int missing = 0;
        for (Path p : burst.truth()) {
            if (!probe.wasReported(p)) {
                missing++;
            }
        }
        return missing;
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
            List<String> windows = new ArrayList<>();
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
            gc();
            long heap1 = heapUsed();
            long rss1 = rssBytes();
            m.put("heapDelta", Long.toString(heap1 - heap0));
            m.put("rssDelta", rss0 < 0 || rss1 < 0 ? "" : Long.toString(rss1 - rss0));
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

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
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
