package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the samples of a profile fall (JDK 17's {@code jfr} tool has no hot-methods view). Two inputs:
 *
 * <ul>
 * <li>flight recordings ({@code --jfr} of the harness): execution samples by top frame, by the first frame of
 * the library on the stack (the code of ours that the time is spent in or under), and inclusively by every
 * method of ours on the stack; native method samples by top frame; allocation samples by class and by the
 * first frame of ours, weighted by the bytes they stand for;</li>
 * <li>the text of {@code perf script -F comm,pid,tid,time,ip,sym,dso} from {@code perf record -k mono -g} of a
 * harness run whose JVMs wrote perf maps: CPU samples of every thread, kernel included, by thread, top
 * frame, system call, first frame of ours and method of ours anywhere on the stack; cut to the cost windows
 * the harness logged ({@code --windows LOG}), without the harness thread that writes the bursts.</li>
 * </ul>
 *
 * <p>{@code java -jar benchmarks.jar hot [--top N] [--skip-threads REGEX] FILE.jfr...} or
 * {@code hot [--top N] [--skip-threads REGEX] --perf-script FILE [--windows LOG]}: several recordings (the
 * repeats of one run) are added up. The harness's own code ({@code io.reactivewatch.benchmarks}) is not
 * "ours"; its frames are counted apart.
 */
public final class HotMethods {

    private static final String OURS = "io.reactivewatch.";
    private static final String HARNESS = "io.reactivewatch.benchmarks.";

    private final Map<String, Counter> counters = new LinkedHashMap<>();
    private int top = 15;
    private Pattern skipThreads;

    private HotMethods() {
    }

    /** A weighted tally by key. */
    private static final class Counter {
        final Map<String, Long> byKey = new HashMap<>();
        long total;

        void add(String key, long weight) {
            byKey.merge(key, weight, Long::sum);
            total += weight;
        }
    }

    /**
     * Prints the tallies of the given recordings.
     *
     * @param args {@code [--top N] [--skip-threads REGEX] FILE...}
     * @return the exit status: 0 done, 2 bad usage, 1 a file could not be read
     */
    public static int main(String[] args) {
        HotMethods h = new HotMethods();
        List<Path> files = new ArrayList<>();
        Path perfScript = null;
        Path windows = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--top" -> h.top = positive(value(args, ++i));
                    case "--skip-threads" -> h.skipThreads = Pattern.compile(value(args, ++i));
                    case "--perf-script" -> perfScript = Path.of(value(args, ++i));
                    case "--windows" -> windows = Path.of(value(args, ++i));
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return 0;
                    }
                    default -> files.add(Path.of(args[i]));
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("hot: " + e.getMessage() + " (" + USAGE + ")");
            return 2;
        }
        if (files.isEmpty() == (perfScript == null)) {
            System.err.println("hot: give flight recordings or one --perf-script file (" + USAGE + ")");
            return 2;
        }
        try {
            if (perfScript != null) {
                h.readPerf(perfScript, windows == null ? null : Window.read(windows));
                h.printPerf(System.out, perfScript, windows);
                return 0;
            }
            for (Path f : files) {
                h.read(f);
            }
        } catch (IOException e) {
            System.err.println("hot: " + e);
            return 1;
        }
        h.print(System.out, files);
        return 0;
    }

    private static final String USAGE = "usage: java -jar benchmarks.jar hot [--top N] [--skip-threads REGEX] "
            + "FILE.jfr... | hot [--top N] [--skip-threads REGEX] --perf-script FILE [--windows LOG]";

    private static int positive(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--top expects a positive number, got '" + v + "'");
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    // ------------------------------------------------------------------ perf script

    /** One cost window the harness logged: the child's pid, its harness thread and the monotonic bounds. */
    private record Window(long pid, long harnessTid, long startNanos, long endNanos) {

        private static final Pattern LINE = Pattern.compile(
                "cost window: pid (\\d+) tid (\\d+) monotonic (\\d+) (\\d+)");

        static List<Window> read(Path log) throws IOException {
            List<Window> out = new ArrayList<>();
            for (String line : java.nio.file.Files.readAllLines(log)) {
                java.util.regex.Matcher m = LINE.matcher(line);
                if (m.find()) {
                    out.add(new Window(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                            Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
                }
            }
            return out;
        }
    }

    private static final Pattern PERF_HEADER = Pattern.compile("^(.*?)\\s+(\\d+)/(\\d+)\\s+(\\d+)\\.(\\d+):.*$");
    private static final Pattern PERF_FRAME = Pattern.compile("^\\s+[0-9a-f]+ (.*) \\((.*)\\)$");

    private void readPerf(Path script, List<Window> windows) throws IOException {
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(script)) {
            String line;
            String thread = null;
            boolean keep = false;
            List<String[]> frames = new ArrayList<>();
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (keep) {
                        perfSample(thread, frames);
                    }
                    keep = false;
                    frames.clear();
                    continue;
                }
                java.util.regex.Matcher h = PERF_HEADER.matcher(line);
                if (!line.startsWith("\t") && !line.startsWith(" ") && h.matches()) {
                    thread = h.group(1).trim().replaceAll("\\d+", "N");
                    long pid = Long.parseLong(h.group(2));
                    long tid = Long.parseLong(h.group(3));
                    String frac = (h.group(5) + "000000000").substring(0, 9);
                    long nanos = Long.parseLong(h.group(4)) * 1_000_000_000L + Long.parseLong(frac);
                    keep = windows == null || inWindow(windows, pid, tid, nanos);
                    continue;
                }
                java.util.regex.Matcher f = PERF_FRAME.matcher(line);
                if (keep && f.matches()) {
                    frames.add(new String[] {f.group(1), f.group(2)});
                }
            }
            if (keep) {
                perfSample(thread, frames);
            }
        }
    }

    private static boolean inWindow(List<Window> windows, long pid, long tid, long nanos) {
        for (Window w : windows) {
            if (w.pid() == pid && nanos >= w.startNanos() && nanos <= w.endNanos()) {
                return tid != w.harnessTid();
            }
        }
        return false;
    }

    private void perfSample(String thread, List<String[]> frames) {
        counter("perf.thread").add(thread, 1);
        if (skipped(thread)) {
            return;
        }
        if (frames.isEmpty()) {
            counter("perf.top").add("(no stack)", 1);
            return;
        }
        String[] leaf = frames.get(0);
        boolean kernel = leaf[1].contains("kernel");
        counter("perf.top").add(perfName(leaf) + (kernel ? " [kernel]" : ""), 1);
        counter("perf.mode").add(kernel ? "kernel" : leaf[1].contains("libjvm") ? "JVM (libjvm.so)"
                : leaf[1].contains("perf-") ? (leaf[0].startsWith("Interpreter") ? "interpreted Java"
                        : "compiled Java and stubs") : "other native (" + leaf[1] + ")", 1);
        String syscall = "(not in a system call)";
        for (String[] f : frames) {
            if (f[0].startsWith("__x64_sys_") || f[0].startsWith("__ia32_sys_")) {
                syscall = f[0].replaceFirst("^__(x64|ia32)_sys_", "");
                break;
            }
        }
        counter("perf.syscall").add(syscall, 1);
        String ours = null;
        boolean harness = false;
        Set<String> seen = new HashSet<>();
        for (String[] f : frames) {
            String java = javaMethod(f[0]);
            if (java == null) {
                continue;
            }
            if (java.startsWith(HARNESS)) {
                harness = true;
            } else if (java.startsWith(OURS)) {
                String simple = simpleName(java);
                if (ours == null) {
                    ours = simple;
                }
                if (seen.add(simple)) {
                    counter("perf.inclusive").add(simple, 1);
                }
            }
        }
        if (ours == null) {
            ours = harness ? "(harness: io.reactivewatch.benchmarks)" : "(no frame of ours: JDK, JVM or library only)";
        }
        counter("perf.ours").add(ours, 1);
        counter("perf.oursTop").add(ours + "  ←  " + perfName(leaf) + (kernel ? " [kernel]" : ""), 1);
        counter("perf.oursSyscall").add(ours + "  ←  " + syscall, 1);
    }

    /** {@code io.x.Type.method} of a perf-map symbol such as {@code void io.x.Type.method(int)}, else null. */
    private static String javaMethod(String sym) {
        int paren = sym.indexOf('(');
        if (paren < 0) {
            return null;
        }
        String head = sym.substring(0, paren);
        int space = head.lastIndexOf(' ');
        String name = space < 0 ? head : head.substring(space + 1);
        return name.contains(".") ? name : null;
    }

    private static String simpleName(String qualified) {
        int method = qualified.lastIndexOf('.');
        int type = qualified.lastIndexOf('.', method - 1);
        return qualified.substring(type + 1);
    }

    private static String perfName(String[] frame) {
        String java = javaMethod(frame[0]);
        return java != null ? simpleName(java) : frame[0];
    }

    private void printPerf(PrintStream out, Path script, Path windows) {
        out.println("perf script: " + script + (windows == null ? " (all samples)" : ", cut to the cost windows in "
                + windows + ", the harness thread left out"));
        if (skipThreads != null) {
            out.println("threads left out of the tallies below the thread table: " + skipThreads);
        }
        section(out, "CPU samples by thread", "perf.thread", 30, "samples");
        section(out, "CPU samples by where the leaf frame runs", "perf.mode", 10, "samples");
        section(out, "CPU samples by system call on the stack", "perf.syscall", top, "samples");
        section(out, "CPU samples by top frame", "perf.top", top * 2, "samples");
        section(out, "CPU samples by first frame of ours", "perf.ours", top, "samples");
        section(out, "CPU samples with this method of ours anywhere on the stack (share of all samples tallied)",
                "perf.inclusive", top * 2, "samples", counters.get("perf.ours"));
        section(out, "CPU samples by first frame of ours ← system call", "perf.oursSyscall", top * 2, "samples");
        section(out, "CPU samples by first frame of ours ← top frame", "perf.oursTop", top * 3, "samples");
    }

    private Counter counter(String name) {
        return counters.computeIfAbsent(name, k -> new Counter());
    }

    private void read(Path file) throws IOException {
        try (RecordingFile in = new RecordingFile(file)) {
            while (in.hasMoreEvents()) {
                RecordedEvent e = in.readEvent();
                String type = e.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample" -> sample(e, "exec", threadOf(e, "sampledThread"), 1);
                    case "jdk.NativeMethodSample" -> sample(e, "native", threadOf(e, "sampledThread"), 1);
                    case "jdk.ObjectAllocationSample" -> allocation(e);
                    default -> {
                    }
                }
            }
        }
    }

    private static String threadOf(RecordedEvent e, String field) {
        RecordedThread t = e.hasField(field) ? e.getValue(field) : e.getThread();
        if (t == null) {
            return "?";
        }
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName();
        // Pooled threads differ only by their number: one line per pool.
        return name == null ? "?" : name.replaceAll("-\\d+$", "-N");
    }

    private boolean skipped(String thread) {
        return skipThreads != null && skipThreads.matcher(thread).matches();
    }

    private void sample(RecordedEvent e, String kind, String thread, long weight) {
        counter(kind + ".thread").add(thread, weight);
        if (skipped(thread)) {
            return;
        }
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
            counter(kind + ".top").add("(no stack)", weight);
            return;
        }
        List<RecordedFrame> frames = st.getFrames();
        String topFrame = name(frames.get(0));
        counter(kind + ".top").add(topFrame, weight);
        if (!kind.equals("exec")) {
            counter(kind + ".topByThread").add(thread + "  " + topFrame, weight);
            return;
        }
        String ours = firstOurs(frames);
        counter("exec.ours").add(ours, weight);
        counter("exec.oursTop").add(ours + "  ←  " + topFrame, weight);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
            String n = name(f);
            if (isOurs(f) && seen.add(n)) {
                counter("exec.inclusive").add(n, weight);
            }
        }
        if (st.isTruncated()) {
            counter("exec.truncated").add("truncated", weight);
        }
    }

    private void allocation(RecordedEvent e) {
        String thread = threadOf(e, "eventThread");
        if (skipped(thread)) {
            return;
        }
        long weight = e.getLong("weight");
        jdk.jfr.consumer.RecordedClass c = e.getValue("objectClass");
        String cls = c == null ? "?" : c.getName();
        counter("alloc.class").add(cls, weight);
        RecordedStackTrace st = e.getStackTrace();
        String ours = st == null ? "(no stack)" : firstOurs(st.getFrames());
        counter("alloc.ours").add(ours, weight);
        counter("alloc.oursClass").add(ours + "  →  " + cls, weight);
    }

    private static boolean isOurs(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.startsWith(OURS) && !type.startsWith(HARNESS);
    }

    /** The first frame of ours from the top, or a bucket that says whose code the sample is in. */
    private static String firstOurs(List<RecordedFrame> frames) {
        boolean harness = false;
        for (RecordedFrame f : frames) {
            if (isOurs(f)) {
                return name(f);
            }
            harness |= f.getMethod().getType().getName().startsWith(HARNESS);
        }
        return harness ? "(harness: io.reactivewatch.benchmarks)" : "(no frame of ours: JDK or library only)";
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private void print(PrintStream out, List<Path> files) {
        out.println("recordings: " + files);
        if (skipThreads != null) {
            out.println("threads left out of the tallies below the thread table: " + skipThreads);
        }
        section(out, "execution samples by thread", "exec.thread", 30, "samples");
        section(out, "execution samples by top frame", "exec.top", top, "samples");
        section(out, "execution samples by first frame of ours", "exec.ours", top, "samples");
        section(out, "execution samples with this method of ours anywhere on the stack (share of all samples "
                + "tallied)", "exec.inclusive", top * 2, "samples", counters.get("exec.ours"));
        section(out, "execution samples by first frame of ours ← top frame", "exec.oursTop", top * 2, "samples");
        Counter truncated = counters.get("exec.truncated");
        if (truncated != null) {
            out.printf(Locale.ROOT, "%n(%d execution samples had a truncated stack)%n", truncated.total);
        }
        section(out, "native method samples by thread (in native code: on CPU or blocked)", "native.thread", 30,
                "samples");
        section(out, "native method samples by thread and top frame", "native.topByThread", top * 2, "samples");
        section(out, "allocation (sampled, weighted) by class", "alloc.class", top, "bytes");
        section(out, "allocation (sampled, weighted) by first frame of ours", "alloc.ours", top, "bytes");
        section(out, "allocation by first frame of ours → class", "alloc.oursClass", top * 2, "bytes");
    }

    private void section(PrintStream out, String title, String key, int limit, String unit) {
        section(out, title, key, limit, unit, counters.get(key));
    }

    private void section(PrintStream out, String title, String key, int limit, String unit, Counter of) {
        Counter c = counters.get(key);
        long total = of == null ? 0 : of.total;
        out.printf(Locale.ROOT, "%n== %s (%s, total %,d)%n", title, unit, total);
        if (c == null || total == 0) {
            return;
        }
        List<Map.Entry<String, Long>> rows = new ArrayList<>(c.byKey.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (int i = 0; i < Math.min(limit, rows.size()); i++) {
            Map.Entry<String, Long> r = rows.get(i);
            out.printf(Locale.ROOT, "%,14d  %5.1f %%  %s%n", r.getValue(), 100.0 * r.getValue() / total, r.getKey());
        }
    }
}
