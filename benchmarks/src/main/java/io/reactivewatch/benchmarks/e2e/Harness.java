package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end comparison: runs each subject in its own JVM over the selected workloads, appends the raw
 * figures to {@code benchmarks-raw.tsv}, and renders the markdown report and the chart from them.
 */
public final class Harness {

    /** The hidden mode a child JVM runs in. */
    public static final String CHILD_COMMAND = "e2e-child";

    private Harness() {
    }

    /**
     * Runs the comparison.
     *
     * @param args the options ({@code --help} lists them)
     * @return the exit status: 0 done, 2 bad usage, 1 failure
     */
    public static int main(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("e2e: " + e.getMessage());
            return 2;
        }
        if (o.help) {
            System.out.println(Options.USAGE);
            return 0;
        }
        try {
            Files.createDirectories(o.out.toAbsolutePath().getParent());
            if (!o.reportOnly) {
                run(o);
            }
            List<Result> results = Result.readAll(o.results());
            Report.write(o, results);
            System.out.println("report: " + o.out.toAbsolutePath());
            return 0;
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.err.println("e2e: " + e);
            return 1;
        }
    }

    /**
     * The child JVM's entry point.
     *
     * @param args the child options
     * @return the exit status
     * @throws Exception if a run fails
     */
    public static int child(String[] args) throws Exception {
        return ChildRunner.main(args);
    }

    private static void run(Options o) throws IOException, InterruptedException {
        String session = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC)
                .format(Instant.now());
        Path results = o.results();
        Map<String, String> meta = new LinkedHashMap<>(Machine.facts());
        meta.put("args", Machine.encode(String.join(" ", o.raw)));
        meta.put("startedAt", Instant.now().toString());
        meta.put("loadStart", Machine.loadAverage());
        Files.createDirectories(o.tmp);
        Path work = Files.createTempDirectory(o.tmp, "rw-e2e-");
        try {
            if (o.workloads.contains("MEM")) {
                child(o, List.of("--memory", "true", "--results", results.toString(), "--session", session));
            }
            if (o.workloads.contains("STATE")) {
                child(o, List.of("--state-check", "true", "--tmp", work.toString(), "--results", results.toString(),
                        "--session", session));
            }
            List<String> bursts = new ArrayList<>();
            for (String w : o.workloads) {
                if (w.matches("W[1-5]")) {
                    bursts.add(w);
                }
            }
            Path idleTree = null;
            for (String subject : o.subjects) {
                String load0 = Machine.loadAverage();
                if (!bursts.isEmpty() && !subject.equals(Subjects.BASELINE)) {
                    child(o, List.of("--subject", subject, "--workloads", String.join(",", bursts),
                            "--r", joinLongs(o.reconcileMs), "--repeats", Integer.toString(o.repeats),
                            "--warmup", Integer.toString(o.warmup), "--tmp", work.toString(),
                            "--deadline-ms", Long.toString(o.deadlineMs), "--results", results.toString(),
                            "--session", session));
                }
                if (o.workloads.contains("W7") && !subject.equals(Subjects.BASELINE)) {
                    // A JVM of its own: the heap and RSS of W1–W5 must not show up in W7's figures.
                    child(o, List.of("--subject", subject, "--large-tree", "true",
                            "--repeats", Integer.toString(o.repeats), "--warmup", Integer.toString(o.warmup),
                            "--tmp", work.toString(),
                            "--deadline-ms", Long.toString(o.deadlineMs), "--results", results.toString(),
                            "--session", session));
                }
                if (o.workloads.contains("W6")) {
                    if (idleTree == null) {
                        idleTree = Files.createDirectory(work.resolve("idle-tree")).toRealPath();
                        ChildRunner.log("creating the W6 tree (%d files in %d directories)", IdleTree.FILES,
                                IdleTree.DIRECTORIES);
                        IdleTree.create(idleTree);
                    }
                    for (int rep = 1; rep <= o.repeats; rep++) {
                        child(o, List.of("--subject", subject, "--idle-tree", idleTree.toString(),
                                "--idle-ms", Long.toString(o.idleMs), "--repeat", Integer.toString(rep),
                                "--results", results.toString(), "--session", session));
                    }
                }
                Map<String, String> load = new LinkedHashMap<>();
                load.put("before", load0);
                load.put("after", Machine.loadAverage());
                Result.append(results, new Result(session, subject, "_load", 0, 0, load));
            }
        } finally {
            ChildRunner.deleteTree(work);
        }
        meta.put("finishedAt", Instant.now().toString());
        meta.put("loadEnd", Machine.loadAverage());
        Result.append(results, new Result(session, "_session", "_meta", 0, 0, meta));
    }

    private static void child(Options o, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Machine.CHILD_JVM_OPTIONS);
        if (o.jfr != null) {
            // Reactor's operator chains are deep: the default 64 frames would cut off the watcher's own frames.
            cmd.add("-XX:FlightRecorderOptions:stackdepth=256");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.reactivewatch.benchmarks.Main");
        cmd.add(CHILD_COMMAND);
        cmd.addAll(args);
        if (o.jfr != null) {
            Files.createDirectories(o.jfr);
            cmd.add("--jfr");
            cmd.add(o.jfr.toAbsolutePath().toString());
        }
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        int rc = p.waitFor();
        if (rc != 0) {
            ChildRunner.log("child %s exited with %d; its runs are missing from the report", args, rc);
        }
    }

    private static String joinLongs(List<Long> values) {
        List<String> s = new ArrayList<>();
        for (long v : values) {
            s.add(Long.toString(v));
        }
        return String.join(",", s);
    }

    static String readFirstLine(Path file, String prefix) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }
}
