package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * What one burst costs the process that watches it: CPU time from the first write until the subject is quiet,
 * and the peak resident set over the same window. Read inside the child JVM, which runs the subject and also
 * writes the burst.
 *
 * <p>CPU is the process's CPU time ({@code OperatingSystemMXBean.getProcessCpuTime}: user + system time of every
 * thread, GC and JIT threads and threads that ended included; Linux counts it in 10 ms clock ticks) less the CPU
 * time of the harness thread that wrote the burst and then waited for quiet (its thread CPU time, exact to the
 * nanosecond). What is left is the subject's work, plus what the JVM does for both (GC, JIT) and the probe's
 * bookkeeping of reported paths on the subject's threads.
 *
 * <p>Peak RSS is {@code VmHWM} of {@code /proc/self/status}, reset to the current RSS at the first write by
 * writing {@code 5} to {@code /proc/self/clear_refs} (Linux 4.0 and later); where the reset is refused the peak
 * is the process's since it started, and {@code rssReset=0} says so.
 *
 * <p>Optionally records the same window with JDK Flight Recorder (the {@code profile} settings, execution and
 * native method samples every 10 ms).
 */
final class Cost {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Thread harness = Thread.currentThread();
    private final long process0;
    private final long harness0;
    private final long wall0;
    private final boolean rssReset;
    private final Recording recording;
    private final Path recordingFile;
    private long process1 = -1;
    private long harness1;
    private long wall1;
    private long peakRssKb = -1;
    /** The last activity the end sample was taken for: a new sample only once the subject was busy again. */
    private long sampledFor;

    private Cost(Path recordingFile) {
        this.recordingFile = recordingFile;
        this.recording = recordingFile == null ? null : startRecording();
        this.rssReset = resetPeakRss();
        this.harness0 = THREADS.getCurrentThreadCpuTime();
        this.process0 = OS.getProcessCpuTime();
        this.wall0 = System.nanoTime();
    }

    /**
     * Starts measuring; call on the thread that is about to write the burst, right before its first write.
     *
     * @param recordingFile where to write a flight recording of the window, or {@code null} for none
     */
    static Cost begin(Path recordingFile) {
        return new Cost(recordingFile);
    }

    /**
     * The subject has been quiet for its quiet period since {@code lastActivityNanos}: takes the end sample,
     * unless one was already taken for the same activity. Harness thread only.
     */
    void quiet(long lastActivityNanos) {
        if (process1 >= 0 && sampledFor == lastActivityNanos) {
            return;
        }
        sample();
        sampledFor = lastActivityNanos;
    }

    /**
     * Ends the window: takes the end sample now if the subject never went quiet. Harness thread only. Logs the
     * window on the monotonic clock with this process and the harness thread, so that a system profile taken
     * with {@code perf record -k mono} can be cut to the window and the writes left out ({@link HotMethods}).
     */
    void end(boolean settled) {
        if (!settled || process1 < 0) {
            sample();
        }
        logWindow(wall0, wall1);
        finishRecording(recording, recordingFile);
    }

    /**
     * Logs a measured window on the monotonic clock ({@code System.nanoTime}) with this process and the calling
     * (harness) thread, the line {@link HotMethods} cuts a {@code perf record -k mono} profile with.
     */
    static void logWindow(long startNanos, long endNanos) {
        ChildRunner.log("cost window: pid %d tid %s monotonic %d %d", ProcessHandle.current().pid(), threadId(),
                startNanos, endNanos);
    }

    /** The kernel's id of the calling thread, or "?" where {@code /proc/thread-self} does not exist. */
    private static String threadId() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return self.getFileName().toString();
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    /** Stops a recording from {@link #startRecording()} and writes it to {@code file}; nothing if it is null. */
    static void finishRecording(Recording recording, Path file) {
        if (recording == null) {
            return;
        }
        try {
            recording.stop();
            recording.dump(file);
            ChildRunner.log("flight recording: %s", file);
        } catch (IOException e) {
            ChildRunner.log("could not write the flight recording %s: %s", file, e);
        } finally {
            recording.close();
        }
    }

    private void sample() {
        if (Thread.currentThread() != harness) {
            throw new IllegalStateException("the cost window is sampled on the harness thread only");
        }
        process1 = OS.getProcessCpuTime();
        harness1 = THREADS.getCurrentThreadCpuTime();
        wall1 = System.nanoTime();
        peakRssKb = statusKb("VmHWM:");
    }

    /**
     * Adds the cost figures, each under {@code prefix}: {@code cpuMs} (the subject's share),
     * {@code processCpuMs}, {@code harnessCpuMs}, {@code cpuWindowMs}, {@code events}, {@code cpuPerEventUs},
     * {@code peakRssKb} and {@code rssReset}.
     */
    void put(Map<String, String> m, String prefix, long events) {
        long process = process1 - process0;
        long harnessCpu = harness1 - harness0;
        long subject = process - harnessCpu;
        m.put(prefix + "cpuMs", ChildRunner.ms(subject));
        m.put(prefix + "processCpuMs", ChildRunner.ms(process));
        m.put(prefix + "harnessCpuMs", ChildRunner.ms(harnessCpu));
        m.put(prefix + "cpuWindowMs", ChildRunner.ms(wall1 - wall0));
        m.put(prefix + "events", Long.toString(events));
        m.put(prefix + "cpuPerEventUs", events <= 0 ? "" : String.format(Locale.ROOT, "%.2f", subject / 1000.0 / events));
        m.put(prefix + "peakRssKb", peakRssKb < 0 ? "" : Long.toString(peakRssKb));
        m.put(prefix + "rssReset", rssReset ? "1" : "0");
    }

    /** A line of {@code /proc/self/status} in kB, or -1. */
    static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A flight recording with the {@code profile} settings and execution and native samples every 10 ms. */
    static Recording startRecording() {
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(10));
            r.setToDisk(true);
            r.start();
            return r;
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot start a flight recording: " + e, e);
        }
    }
}
