package io.reactivewatch.benchmarks.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code launcher}: rwatch started by its launcher script ({@code samples/rwatch/target/rwatch}) and by
 * {@code java -jar rwatch.jar} with the JVM's defaults, side by side in one run, alternating: time from
 * starting the process to its {@code ready} line (with {@code --events-json -}), and peak resident memory
 * ({@code VmHWM} of {@code /proc/PID/status}, read once rwatch is ready and before it is stopped). Writes a
 * markdown section that {@code e2e} includes in {@code docs/benchmarks.md}.
 */
public final class LauncherCheck {

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmarks.jar launcher [options]",
            "  --rwatch DIR     where rwatch, rwatch.jar and rwatch.jsa are (default: samples/rwatch/target)",
            "  --runs N         measured runs per launcher on an empty directory (default: 7)",
            "  --tree-runs N    measured runs per launcher and case on the large tree (default: 3)",
            "  --dirs N         directories in the large tree (default: 2000)",
            "  --files N        files per directory (default: 100)",
            "  --tmp DIR        where the tree and state files go (default: java.io.tmpdir)",
            "  --out FILE       markdown section (default: docs/benchmarks-launcher.md)");

    /** Target: launch to ready on an empty directory. */
    static final long READY_TARGET_MS = 300;
    /** Target: peak RSS with the large tree tracked. */
    static final long RSS_TARGET_MB = 400;

    private LauncherCheck() {
    }

    /** One way to start rwatch. */
    record Launch(String id, String label, List<String> command) {
    }

    /** One measured start. */
    record Sample(long readyMs, long hwmMb, int exitStatus) {
    }

    /**
     * Runs the comparison.
     *
     * @param args the options in {@link #USAGE}
     * @return the exit status: 0, or 2 on bad usage
     * @throws Exception when a run fails
     */
    public static int main(String[] args) throws Exception {
        Path rwatchDir = Path.of("samples/rwatch/target");
        int runs = 7;
        int treeRuns = 3;
        int dirs = 2000;
        int files = 100;
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path out = Path.of("docs/benchmarks-launcher.md");
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--rwatch" -> rwatchDir = Path.of(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--tree-runs" -> treeRuns = Integer.parseInt(args[++i]);
                    case "--dirs" -> dirs = Integer.parseInt(args[++i]);
                    case "--files" -> files = Integer.parseInt(args[++i]);
                    case "--tmp" -> tmp = Path.of(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            System.err.println("launcher: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path script = rwatchDir.resolve("rwatch").toAbsolutePath();
        Path jar = rwatchDir.resolve("rwatch.jar").toAbsolutePath();
        if (!Files.isExecutable(script) || !Files.isRegularFile(jar)) {
            System.err.println("launcher: build rwatch first (mvn -B -q -DskipTests package -pl samples/rwatch -am): "
                    + script + " or " + jar + " is missing");
            return 2;
        }
        List<Launch> launches = List.of(
                new Launch("jar", "`java -jar rwatch.jar` (JVM defaults)", List.of(java, "-jar", jar.toString())),
                new Launch("launcher", "`target/rwatch` (launcher)", List.of(script.toString())));

        String loadBefore = loadAverage();
        Instant started = Instant.now();
        Path empty = Files.createTempDirectory(tmp, "rwatch-launcher-empty");
        Path tree = tmp.resolve("rwatch-launcher-tree-" + dirs + "x" + files);
        int tracked = makeTree(tree, dirs, files);

        Map<String, Map<String, List<Sample>>> results = new LinkedHashMap<>();
        List<String> cases = List.of("empty", "tree", "tree-state");
        for (String c : cases) {
            results.put(c, new LinkedHashMap<>());
            for (Launch l : launches) {
                results.get(c).put(l.id(), new ArrayList<>());
            }
        }
        for (Launch l : launches) {
            // Unmeasured: the jar and the archive in the page cache for both.
            run(l, empty, List.of("--postpone", "--events-json", "-"));
        }
        // Alternating, so that both see the same machine load.
        for (int i = 0; i < runs; i++) {
            for (Launch l : launches) {
                results.get("empty").get(l.id()).add(run(l, empty, List.of("--postpone", "--events-json", "-")));
            }
        }
        Map<String, Path> stateFiles = new LinkedHashMap<>();
        for (Launch l : launches) {
            Path state = tmp.resolve("rwatch-launcher-" + l.id() + ".state.json");
            Files.deleteIfExists(state);
            stateFiles.put(l.id(), state);
            // Unmeasured: writes the state file that the tree-state runs start from.
            run(l, empty, List.of("-w", tree.toString(), "--postpone", "--state", state.toString(), "--events-json", "-"));
        }
        for (int i = 0; i < treeRuns; i++) {
            for (Launch l : launches) {
                results.get("tree").get(l.id()).add(run(l, empty,
                        List.of("-w", tree.toString(), "--postpone", "--events-json", "-")));
                results.get("tree-state").get(l.id()).add(run(l, empty, List.of("-w", tree.toString(), "--postpone",
                        "--state", stateFiles.get(l.id()).toString(), "--events-json", "-")));
            }
        }
        String loadAfter = loadAverage();
        Instant finished = Instant.now();
        for (Path state : stateFiles.values()) {
            Files.deleteIfExists(state);
        }
        Files.deleteIfExists(empty);

        String md = report(args, launches, results, tracked, dirs, java, launcherOptions, started, finished,
                loadBefore, loadAfter);
        Files.writeString(out, md, StandardCharsets.UTF_8);
        System.out.print(md);
        return 0;
    }

    /** A tree of {@code dirs} directories of {@code files} empty files each, made once and kept for reruns. */
    static int makeTree(Path tree, int dirs, int files) throws IOException {
        // Beside the tree, not in it: rwatch would count it.
        Path done = tree.resolveSibling(tree.getFileName() + ".complete");
        if (!Files.exists(done)) {
            for (int d = 0; d < dirs; d++) {
                Path dir = Files.createDirectories(tree.resolve(String.format(Locale.ROOT, "d%04d", d)));
                for (int f = 0; f < files; f++) {
                    Path file = dir.resolve(String.format(Locale.ROOT, "f%03d.txt", f));
                    if (!Files.exists(file)) {
                        Files.createFile(file);
                    }
                }
            }
            Files.writeString(done, "");
        }
        return dirs * files;
    }

    /** What {@link #run} saw the launcher pass to the JVM. */
    private static String launcherOptions = "(not seen)";

    /** Starts rwatch, waits for its ready line, reads its peak RSS, stops it with SIGTERM. */
    static Sample run(Launch l, Path workdir, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(l.command());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workdir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        long t0 = System.nanoTime();
        Process p = pb.start();
        long readyNanos = -1;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("{\"type\":\"ready\"")) {
                    readyNanos = System.nanoTime() - t0;
                    break;
                }
            }
            if (readyNanos < 0) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " ended without a ready line");
            }
            long hwm = peakRssMb(p.pid());
            if (l.id().equals("launcher")) {
                launcherOptions = jvmOptions(p, Path.of(l.command().get(0)).toRealPath().getParent());
            }
            p.toHandle().destroy();
            // Drain what it writes while stopping, so that it never blocks on a full pipe.
            while (r.readLine() != null) {
                // discard
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not stop within 60 s of SIGTERM");
            }
            return new Sample(TimeUnit.NANOSECONDS.toMillis(readyNanos), hwm, p.exitValue());
        }
    }

    static long peakRssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        throw new IllegalStateException("no VmHWM for process " + pid);
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JVM options of a running launcher, as the system reports its command line, up to {@code -jar}. */
    static String jvmOptions(Process p, Path rwatchDir) {
        List<String> options = new ArrayList<>();
        for (String a : p.info().arguments().orElse(new String[0])) {
            if (a.equals("-jar")) {
                break;
            }
            options.add(a.replace(rwatchDir.toString() + "/", ""));
        }
        return String.join(" ", options);
    }

    static long median(List<Long> values) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : Math.round((s.get(n / 2 - 1) + s.get(n / 2)) / 2.0);
    }

    private static String cell(List<Sample> samples, boolean ready) {
        List<Long> v = samples.stream().map(s -> ready ? s.readyMs() : s.hwmMb()).toList();
        String unit = ready ? " ms" : " MB";
        return String.format(Locale.ROOT, "%,d%s (%,d–%,d)", median(v), unit, Collections.min(v), Collections.max(v));
    }

    private static String report(String[] args, List<Launch> launches, Map<String, Map<String, List<Sample>>> results,
            int tracked, int dirs, String java, String jvmOptions, Instant started, Instant finished,
            String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("## rwatch launcher: start-up and memory\n\n");
        md.append("Written by `java -jar benchmarks/target/benchmarks.jar launcher")
                .append(args.length == 0 ? "" : " " + String.join(" ", args))
                .append("` (after `mvn -B -q -DskipTests package -pl samples/rwatch,benchmarks -am`); rerun it to ")
                .append("replace this section. Both ways of starting rwatch ran alternately in one run on ")
                .append(started).append(" – ").append(finished).append(", JVM `").append(java).append("` (")
                .append(System.getProperty("java.runtime.version")).append("). The machine's 2 cores were shared ")
                .append("with other builds and test suites: load average (1/5/15 min) ").append(loadBefore)
                .append(" at the start, ").append(loadAfter).append(" at the end.\n\n");
        md.append("The launcher started the JVM with `").append(jvmOptions).append("`; `java -jar` with the JVM's ")
                .append("defaults (G1, initial heap 1/64 and maximum 1/4 of RAM, no archive but the JDK's). ")
                .append("Ready: from starting the process to reading its `{\"type\":\"ready\"...}` line of ")
                .append("`--events-json -` (`--postpone`). Peak RSS: `VmHWM` of `/proc/PID/status` once rwatch is ")
                .append("ready, then SIGTERM. Median (min–max).\n\n");
        String treeName = String.format(Locale.ROOT, "%,d files in %,d directories", tracked, dirs);
        Map<String, String> caseNames = new LinkedHashMap<>();
        caseNames.put("empty", "empty directory");
        caseNames.put("tree", treeName);
        caseNames.put("tree-state", treeName + ", restarted with `--state` (state saved by an unmeasured run)");
        md.append("| case | runs | ");
        for (Launch l : launches) {
            md.append(l.label()).append(" ready | ").append(l.label()).append(" peak RSS | ");
        }
        md.append("\n|---|---|");
        md.append("---|---|".repeat(launches.size()));
        md.append('\n');
        for (Map.Entry<String, String> c : caseNames.entrySet()) {
            Map<String, List<Sample>> byLaunch = results.get(c.getKey());
            md.append("| ").append(c.getValue()).append(" | ").append(byLaunch.get(launches.get(0).id()).size())
                    .append(" | ");
            for (Launch l : launches) {
                md.append(cell(byLaunch.get(l.id()), true)).append(" | ").append(cell(byLaunch.get(l.id()), false))
                        .append(" | ");
            }
            md.append('\n');
        }
        md.append("\nEvery run stopped with exit status ");
        boolean allZero = results.values().stream().flatMap(m -> m.values().stream()).flatMap(List::stream)
                .allMatch(s -> s.exitStatus() == 0);
        md.append(allZero ? "0" : "other than 0 at least once (see the raw figures)").append(".\n\n");

        List<Sample> launcherEmpty = results.get("empty").get("launcher");
        long ready = median(launcherEmpty.stream().map(Sample::readyMs).toList());
        long rss = Stream.of("tree", "tree-state")
                .mapToLong(c -> median(results.get(c).get("launcher").stream().map(Sample::hwmMb).toList())).max()
                .orElseThrow();
        md.append("| target | measured (launcher, median) | verdict |\n|---|---|---|\n");
        md.append(String.format(Locale.ROOT, "| launch to ready on an empty directory ≤ %d ms | %,d ms | %s |%n",
                READY_TARGET_MS, ready, ready <= READY_TARGET_MS ? "met" : "**missed**"));
        md.append(String.format(Locale.ROOT, "| peak RSS with %s ≤ %d MB | %,d MB (the larger of the two tree cases) | %s |%n",
                treeName, RSS_TARGET_MB, rss, rss <= RSS_TARGET_MB ? "met" : "**missed**"));
        md.append("\nRaw figures (ready ms / peak RSS MB / exit status, in run order):\n\n");
        for (Map.Entry<String, Map<String, List<Sample>>> c : results.entrySet()) {
            for (Map.Entry<String, List<Sample>> l : c.getValue().entrySet()) {
                md.append("- ").append(c.getKey()).append(", ").append(l.getKey()).append(": ");
                List<String> parts = new ArrayList<>();
                for (Sample s : l.getValue()) {
                    parts.add(s.readyMs() + "/" + s.hwmMb() + "/" + s.exitStatus());
                }
                md.append(String.join(", ", parts)).append('\n');
            }
        }
        return md.toString();
    }
}
