package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/** Renders {@code docs/benchmarks.md} from the raw results. Every number in it comes from a measured run. */
final class Report {

    /** Per (subject, workload, R): the runs of the newest session that measured that combination. */
    final Map<String, List<Result>> runs = new LinkedHashMap<>();
    final List<Result> sessions = new ArrayList<>();
    final Map<String, List<Result>> loads = new LinkedHashMap<>();
    final List<Result> memory = new ArrayList<>();
    final List<Result> state = new ArrayList<>();
    /** Every measured run of every session, for figures compared within one session (the ratio to jdk). */
    private final List<Result> all = new ArrayList<>();
    private final Options options;

    private Report(Options options, List<Result> all) {
        this.options = options;
        Map<String, String> newest = new TreeMap<>();
        for (Result r : all) {
            if (r.subject().equals("_session")) {
                sessions.add(r);
                continue;
            }
            if (r.workload().equals("_memory")) {
                memory.add(r);
                continue;
            }
            if (r.workload().equals("_state")) {
                state.add(r);
                continue;
            }
            if (r.workload().equals("_load")) {
                loads.computeIfAbsent(r.subject(), k -> new ArrayList<>()).add(r);
                continue;
            }
            newest.merge(key(r.subject(), r.workload(), r.reconcileMs()), r.session(),
                    (a, b) -> a.compareTo(b) >= 0 ? a : b);
            this.all.add(r);
        }
        for (Result r : all) {
            String k = key(r.subject(), r.workload(), r.reconcileMs());
            if (r.session().equals(newest.get(k))) {
                runs.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
            }
        }
    }

    static String key(String subject, String workload, long r) {
        return subject + "|" + workload + "|" + r;
    }

    static void write(Options o, List<Result> all) throws IOException {
        Report report = new Report(o, all);
        String md = report.render();
        Files.writeString(o.out, md, StandardCharsets.UTF_8);
        Chart.write(report, o.chart());
    }

    List<Subjects.Spec> subjectsMeasured() {
        List<Subjects.Spec> l = new ArrayList<>();
        for (Subjects.Spec s : Subjects.all()) {
            for (String k : runs.keySet()) {
                if (k.startsWith(s.id() + "|")) {
                    l.add(s);
                    break;
                }
            }
        }
        return l;
    }

    List<Long> reconcileTimes() {
        TreeSet<Long> rs = new TreeSet<>();
        for (List<Result> l : runs.values()) {
            for (Result r : l) {
                if (!r.workload().equals("W6")) {
                    rs.add(r.reconcileMs());
                }
            }
        }
        return new ArrayList<>(rs);
    }

    List<Result> get(String subject, String workload, long r) {
        return runs.getOrDefault(key(subject, workload, r), List.of());
    }

    Stats stats(String subject, String workload, long r, String metric) {
        return stats(get(subject, workload, r), metric, 1);
    }

    /** Median and range of one metric over some runs, each value multiplied by {@code scale}. */
    static Stats stats(List<Result> rows, String metric, double scale) {
        List<Double> v = new ArrayList<>();
        for (Result x : rows) {
            Double d = x.number(metric);
            v.add(d == null ? null : d * scale);
        }
        return Stats.of(v);
    }

    /**
     * The runs of the raw JDK subject in the same session as {@code rows} (the runs of one table row), for the
     * same workload and R: a ratio to them compares two subjects measured under the same conditions.
     */
    List<Result> sameSessionJdk(List<Result> rows, String workload, long r) {
        List<Result> out = new ArrayList<>();
        if (rows.isEmpty()) {
            return out;
        }
        String session = rows.get(0).session();
        for (Result x : all) {
            if (x.session().equals(session) && x.subject().equals(Subjects.JDK) && x.workload().equals(workload)
                    && x.reconcileMs() == r) {
                out.add(x);
            }
        }
        return out;
    }

    /** Median of {@code metric} over {@code rows} divided by its median over the same-session jdk runs. */
    Double ratioToJdk(List<Result> rows, String workload, long r, String metric) {
        Stats ours = stats(rows, metric, 1);
        Stats jdk = stats(sameSessionJdk(rows, workload, r), metric, 1);
        if (ours == null || jdk == null || jdk.median() <= 0) {
            return null;
        }
        return ours.median() / jdk.median();
    }

    static String ratio(Double ratio) {
        return ratio == null ? "–" : Stats.number(ratio, 2);
    }

    /** The cost cells of a burst row: CPU ms, CPU µs per event, ratio to jdk, peak RSS MB. */
    private String costCells(List<Result> rows, String workload, long r, String prefix) {
        return Stats.format(stats(rows, prefix + "cpuMs", 1), 0) + " | "
                + Stats.format(stats(rows, prefix + "cpuPerEventUs", 1), 1) + " | "
                + ratio(ratioToJdk(rows, workload, r, prefix + "cpuPerEventUs")) + " | "
                + Stats.format(stats(rows, prefix + "peakRssKb", 1.0 / 1024), 0);
    }

    // ------------------------------------------------------------------ rendering

    private String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Generated by the `benchmarks` module from measured runs (raw figures: ")
                .append("[`").append(options.results().getFileName()).append("`](")
                .append(options.results().getFileName()).append(")). Re-run the commands below to reproduce; ")
                .append("do not edit the numbers by hand.\n\n");
        commands(md);
        machine(md);
        settings(md);
        targets(md);
        jmh(md);
        memory(md);
        state(md);
        md.append("## End-to-end results\n\n");
        md.append("![lost changes and latency per subject](").append(options.chart().getFileName()).append(")\n\n");
        legend(md);
        for (Workload w : Workload.values()) {
            burstTable(md, w);
        }
        idleTable(md);
        launcher(md);
        largeTreeTable(md);
        notes(md);
        return md.toString();
    }

    private void commands(StringBuilder md) {
        md.append("## Commands\n\n```sh\n");
        md.append("mvn -B -q -DskipTests package -pl benchmarks -am\n");
        md.append("# JMH: core throughput and allocation (about 3 minutes)\n");
        md.append("java -jar benchmarks/target/benchmarks.jar jmh -prof gc -rf json -rff docs/benchmarks-jmh.json\n");
        md.append("# end to end: subjects × workloads × R × repeats, then this report and the chart\n");
        if (sessions.isEmpty()) {
            md.append("java -jar benchmarks/target/benchmarks.jar e2e --jmh docs/benchmarks-jmh.json\n");
        }
        for (Result s : sessions) {
            md.append("java -jar benchmarks/target/benchmarks.jar e2e ")
                    .append(Machine.decode(s.metrics().get("args"))).append("   # session ")
                    .append(s.session()).append('\n');
        }
        md.append("# re-render this report and the chart from the raw results, with the JMH results\n");
        md.append("java -jar benchmarks/target/benchmarks.jar e2e --report-only --jmh docs/benchmarks-jmh.json\n");
        md.append("```\n\n");
        md.append("`e2e --help` lists the options (`--subjects`, `--workloads`, `--r`, `--repeats`, `--warmup`, ")
                .append("`--idle`, `--deadline`, `--smoke`, `--jfr`, `--report-only`). W7 (200,000 files) is part ")
                .append("of the default workloads and runs at R = 0 in a JVM of its own per subject; `--workloads` ")
                .append("without W7 leaves it out. `--smoke` keeps the `--subjects`, `--workloads`, `--r`, ")
                .append("`--repeats` and `--warmup` given with it, so `e2e --smoke --workloads W2,W3` checks the ")
                .append("cost columns on real bursts. `--jfr DIR` writes a flight recording of each measured ")
                .append("window (for profiles, see the notes; the recording costs CPU, so such runs are not ")
                .append("results). A later session that re-measures some ")
                .append("rows replaces exactly those rows; the table below says which session each row comes ")
                .append("from when there is more than one.\n\n");
    }

    private void machine(StringBuilder md) {
        md.append("## Machine\n\n");
        if (sessions.isEmpty()) {
            md.append("(no session recorded)\n\n");
            return;
        }
        Result s = sessions.get(sessions.size() - 1);
        Map<String, String> m = s.metrics();
        md.append("| | |\n|---|---|\n");
        md.append("| cores (nproc) | ").append(m.get("nproc")).append(" |\n");
        md.append("| memory | ").append(Machine.decode(m.get("memTotal"))).append(" |\n");
        md.append("| CPU | ").append(Machine.decode(m.get("cpu"))).append(" |\n");
        md.append("| JDK | ").append(Machine.decode(m.get("jdk"))).append(" |\n");
        md.append("| OS | ").append(Machine.decode(m.get("os"))).append(" |\n");
        md.append("| child JVM options | `").append(Machine.decode(m.get("childJvm"))).append("` |\n\n");
        md.append("| session | started | finished | load average (1/5/15 min) at start → end |\n|---|---|---|---|\n");
        for (Result x : sessions) {
            md.append("| ").append(x.session()).append(" | ").append(x.metrics().get("startedAt")).append(" | ")
                    .append(x.metrics().get("finishedAt")).append(" | ").append(x.metrics().get("loadStart"))
                    .append(" → ").append(x.metrics().get("loadEnd")).append(" |\n");
        }
        md.append("\nThe machine's 2 cores were shared with other work while these runs took place (other builds ")
                .append("and test suites); the load averages per subject below show how busy it was. A load above ")
                .append("about 1 means the watcher under test competed for CPU, which inflates latencies and ")
                .append("start-up times more than it changes trigger counts or lost changes.\n\n");
        md.append("| subject | load average before → after its runs |\n|---|---|\n");
        for (Map.Entry<String, List<Result>> e : loads.entrySet()) {
            List<String> cells = new ArrayList<>();
            for (Result r : e.getValue()) {
                cells.add(r.metrics().get("before") + " → " + r.metrics().get("after") + " (" + r.session() + ")");
            }
            md.append("| ").append(e.getKey()).append(" | ").append(String.join("<br>", cells)).append(" |\n");
        }
        md.append('\n');
    }

    private void settings(StringBuilder md) {
        Properties v = Machine.versions();
        md.append("## Versions and settings\n\n");
        md.append("| component | version |\n|---|---|\n");
        for (String name : List.of("reactive-watch", "reactor-bom", "jmh", "jgit", "directory-watcher", "spring-boot-devtools",
                "commons-io", "jfreechart")) {
            md.append("| ").append(name).append(" | ").append(v.getProperty(name, "unknown")).append(" |\n");
        }
        md.append("\n| subject | id | settings |\n|---|---|---|\n");
        for (Subjects.Spec s : Subjects.all()) {
            md.append("| ").append(s.label()).append(" | `").append(s.id()).append("` | ").append(s.settings())
                    .append(" |\n");
        }
        md.append("\nRuns: ").append(describeRepeats()).append(". ")
                .append("Simulated reconcile R per trigger: ").append(reconcileTimes()).append(" ms. ")
                .append("A peer's callback thread blocks for R (what its users do); our daemon's reconciler takes ")
                .append("R on `Schedulers.boundedElastic()`. Each subject runs in its own JVM; every burst run ")
                .append("gets a fresh temporary tree, and W6 runs once per repeat in a fresh JVM over one shared, ")
                .append("never-modified tree. A burst run ends once the subject has been quiet (no reconcile ")
                .append("running or starting) for its quiet period plus R after the last write: 1 s for the ")
                .append("event-driven subjects, 2 × poll interval (+ DevTools' quiet period) + 0.5 s for the ")
                .append("pollers; three times that, at least 3 s, while some written file is still unreported; ")
                .append("and at the latest ").append(options.deadlineMs / 1000).append(" s after the last write. ")
                .append("Before each burst the harness waits until the subject has been quiet for 300 ms after ")
                .append("`start()`; triggers in that time are not counted.\n\n");
    }

    private String describeRepeats() {
        int max = 0;
        for (List<Result> l : runs.values()) {
            max = Math.max(max, l.size());
        }
        String warm = sessions.isEmpty() ? "?" : warmupOf(sessions.get(sessions.size() - 1));
        return "up to " + max + " measured repeats per subject, workload and R (median and range shown), after "
                + warm + " unrecorded warm-up round(s) of W1, W2 and W5 at R = 0 per subject JVM (W7's own JVM "
                + "warms up with W7's three phases over 5,000 files)";
    }

    private static String warmupOf(Result session) {
        List<String> args = Arrays.asList(Machine.decode(session.metrics().get("args")).split(" "));
        int i = args.indexOf("--warmup");
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : "1";
    }

    private void legend(StringBuilder md) {
        md.append("Columns: **triggers** = reconciles started from the first write until the subject went ")
                .append("quiet; **during** = of those, how many started while the burst was still writing; ")
                .append("**max conc.** = most reconciles running at once (peers run them on one callback ")
                .append("thread, so 1 means serialized, not coalesced); **→ last trigger** / **→ settled** = ms ")
                .append("from the burst's last write to the start of the last trigger / the end of its ")
                .append("reconcile (negative: the last trigger started before the last write); **lost** = files ")
                .append("the burst wrote that no trigger reported (truth vs. the union of reported paths), counted ")
                .append("when the subject went quiet or at the deadline; **unsettled** = repeats that hit the ")
                .append("deadline (").append(options.deadlineMs / 1000).append(" s after the last write) with ")
                .append("reconciles still coming, whose missing files may only be late; **CPU ms** = the ")
                .append("subject's CPU time from the first write until it went quiet (see below); **CPU µs/event** ")
                .append("= that divided by the events the burst wrote (each file created, modified or deleted, ")
                .append("directory created or deleted and rename counts one); **CPU/event ÷ jdk** = the median ")
                .append("CPU per event of the row over the median of the raw JDK subject's in the same session, ")
                .append("workload and R (– when jdk was not measured in that session); **peak RSS MB** = the ")
                .append("process's peak resident set over the same window. Cells are median (min–max) over the ")
                .append("repeats; – marks a figure the run did not record (rows measured before the harness ")
                .append("recorded it).\n\n");
        md.append("The cost window starts right before the first write and ends where the harness calls the ")
                .append("subject quiet for its trigger and latency figures: no reconcile running, and none ")
                .append("started or ended for the subject's quiet period plus R (1 s + R for the event-driven ")
                .append("subjects) after the later of the last write and the last trigger activity. It does not ")
                .append("include the longer wait for files still unreported. CPU is read inside the subject's ")
                .append("JVM: the process's CPU time (`OperatingSystemMXBean.getProcessCpuTime`, user + system, ")
                .append("every thread including GC and JIT; Linux counts it in 10 ms ticks) less the thread CPU ")
                .append("time of the harness thread that writes the burst and then waits, so the writes ")
                .append("themselves are not counted. The probe's record of reported paths runs on the subject's ")
                .append("threads and is counted, for every subject alike, and so is the quiet period itself (a ")
                .append("JVM without a watcher idles at 0.1–0.2 % of a core in W6, 1–2 ms per second). A single ")
                .append("write (W1) is below the clock's resolution. Compiling the subject's code counts too: ")
                .append("in a workload's first repeat the JIT compiler threads can take half the window's CPU ")
                .append("(the notes show where), by the third a tenth or less; the median of three repeats ")
                .append("mostly leaves the first out. Peak RSS is ")
                .append("`VmHWM` of `/proc/self/status`, reset at the window's start through ")
                .append("`/proc/self/clear_refs` after a full GC; the subject runs W1–W5 in one JVM, so heap a ")
                .append("previous run left committed may still count.\n\n");
    }

    private void burstTable(StringBuilder md, Workload w) {
        List<Subjects.Spec> subjects = subjectsMeasured();
        boolean any = false;
        for (Subjects.Spec s : subjects) {
            for (long r : reconcileTimes()) {
                any |= !get(s.id(), w.name(), r).isEmpty();
            }
        }
        if (!any) {
            return;
        }
        md.append("### ").append(w.name()).append(": ").append(w.description()).append("\n\n");
        boolean gap = w == Workload.W4;
        md.append("| subject | R ms | triggers | during | max conc. | → last trigger ms | → settled ms | lost | ")
                .append(gap ? "longest gap ms | " : "").append("burst ms | unsettled | CPU ms | CPU µs/event | ")
                .append("CPU/event ÷ jdk | peak RSS MB |\n");
        md.append("|---|---|---|---|---|---|---|---|").append(gap ? "---|" : "").append("---|---|---|---|---|---|\n");
        for (Subjects.Spec s : subjects) {
            for (long r : reconcileTimes()) {
                List<Result> l = get(s.id(), w.name(), r);
                if (l.isEmpty()) {
                    continue;
                }
                int unsettled = 0;
                for (Result x : l) {
                    if ("0".equals(x.metrics().get("settled"))) {
                        unsettled++;
                    }
                }
                Stats truth = stats(s.id(), w.name(), r, "truth");
                md.append("| ").append(s.label()).append(sessionNote(l)).append(" | ").append(r).append(" | ")
                        .append(Stats.format(stats(s.id(), w.name(), r, "triggers"), 0)).append(" | ")
                        .append(Stats.format(stats(s.id(), w.name(), r, "during"), 0)).append(" | ")
                        .append(Stats.format(stats(s.id(), w.name(), r, "maxConcurrent"), 0)).append(" | ")
                        .append(Stats.format(stats(s.id(), w.name(), r, "toLastTriggerMs"), 0)).append(" | ")
                        .append(Stats.format(stats(s.id(), w.name(), r, "toSettledMs"), 0)).append(" | ")
                        .append(Stats.format(stats(s.id(), w.name(), r, "lost"), 0))
                        .append(truth == null ? "" : " / " + Stats.number(truth.max(), 0)).append(" | ");
                if (gap) {
                    md.append(Stats.format(stats(s.id(), w.name(), r, "gapMs"), 0)).append(" | ");
                }
                md.append(Stats.format(stats(s.id(), w.name(), r, "burstMs"), 0)).append(" | ")
                        .append(unsettled == 0 ? "0" : unsettled + " of " + l.size()).append(" | ")
                        .append(costCells(l, w.name(), r, "")).append(" |\n");
            }
        }
        md.append('\n');
    }

    /** Names the session of a row when the report combines several. */
    private String sessionNote(List<Result> rows) {
        return sessions.size() > 1 && !rows.isEmpty() ? " <sub>" + rows.get(0).session() + "</sub>" : "";
    }

    private void idleTable(StringBuilder md) {
        List<Subjects.Spec> subjects = new ArrayList<>();
        for (Subjects.Spec s : Subjects.all()) {
            if (!get(s.id(), "W6", 0).isEmpty()) {
                subjects.add(s);
            }
        }
        if (subjects.isEmpty()) {
            return;
        }
        md.append("### W6: idle, ").append(String.format(Locale.ROOT, "%,d", IdleTree.FILES)).append(" files in ")
                .append(String.format(Locale.ROOT, "%,d", IdleTree.DIRECTORIES)).append(" directories\n\n");
        md.append("Each repeat is a fresh JVM: heap and RSS are measured after `System.gc()` before `start()` and ")
                .append("again after the idle time with the subject still running. Idle CPU is process CPU time ")
                .append("(`OperatingSystemMXBean.getProcessCpuTime`) per 10 s window as a percentage of one ")
                .append("core, starting 2 s after `start()` returned; it includes the JVM's own background work, ")
                .append("which the no-watcher row shows. Heap per file divides the heap delta by the 50,000 ")
                .append("files.\n\n");
        md.append("| subject | start ms | start CPU ms | idle CPU % of a core per 10 s | heap Δ MB | RSS Δ MB | ")
                .append("heap bytes per file | threads Δ | triggers while idle | peak RSS MB |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Subjects.Spec s : subjects) {
            List<Double> cpu = new ArrayList<>();
            List<Double> heapMb = new ArrayList<>();
            List<Double> rssMb = new ArrayList<>();
            for (Result r : get(s.id(), "W6", 0)) {
                String windows = r.metrics().get("idleCpuPct");
                if (windows != null && !windows.isEmpty()) {
                    for (String x : windows.split("\\|")) {
                        cpu.add(Double.valueOf(x));
                    }
                }
                Double h = r.number("heapDelta");
                heapMb.add(h == null ? null : h / (1024.0 * 1024));
                Double rss = r.number("rssDelta");
                rssMb.add(rss == null ? null : rss / (1024.0 * 1024));
            }
            md.append("| ").append(s.label()).append(sessionNote(get(s.id(), "W6", 0))).append(" | ")
                    .append(Stats.format(stats(s.id(), "W6", 0, "startMs"), 0)).append(" | ")
                    .append(Stats.format(stats(s.id(), "W6", 0, "startCpuMs"), 0)).append(" | ")
                    .append(Stats.format(Stats.of(cpu), 2)).append(" | ")
                    .append(Stats.format(Stats.of(heapMb), 1)).append(" | ")
                    .append(Stats.format(Stats.of(rssMb), 1)).append(" | ")
                    .append(Stats.format(stats(s.id(), "W6", 0, "heapPerFile"), 0)).append(" | ")
                    .append(Stats.format(stats(s.id(), "W6", 0, "threads"), 0)).append(" | ")
                    .append(Stats.format(stats(s.id(), "W6", 0, "triggers"), 0)).append(" | ")
                    .append(Stats.format(stats(get(s.id(), "W6", 0), "peakRssKb", 1.0 / 1024), 0)).append(" |\n");
        }
        md.append('\n');
    }

    private void largeTreeTable(StringBuilder md) {
        List<Subjects.Spec> subjects = new ArrayList<>();
        for (Subjects.Spec s : Subjects.all()) {
            if (!get(s.id(), "W7", 0).isEmpty()) {
                subjects.add(s);
            }
        }
        if (subjects.isEmpty()) {
            return;
        }
        md.append("### W7: ").append(String.format(Locale.ROOT, "%,d", LargeTree.FILES)).append(" files in ")
                .append(String.format(Locale.ROOT, "%,d", LargeTree.DIRECTORIES))
                .append(" new directories created, 10 % modified, all deleted\n\n");
        md.append("One subject JVM per W7 run sequence, started on an empty directory; three bursts in a row, each ")
                .append("measured like W1–W5 at R = 0 (the same quiet rule and cost window; the deadline is the ")
                .append("burst's own duration after its last write when that is longer than ")
                .append(options.deadlineMs / 1000).append(" s). *create*: each directory is made, then its ")
                .append(LargeTree.FILES_PER_DIRECTORY).append(" files written; *modify*: every ")
                .append(LargeTree.MODIFY_EVERY).append("th file appended to; *delete*: every file deleted, then ")
                .append("its directory, deepest first. **lost** counts the phase's files that no trigger of that ")
                .append("phase reported. Heap per tracked file is the heap after the create phase less the heap ")
                .append("before it (each after a full GC, the harness's record of reported paths dropped), over ")
                .append(String.format(Locale.ROOT, "%,d", LargeTree.FILES)).append(" files; **kept after delete** ")
                .append("is what is still held once everything is deleted.\n\n");
        md.append("| subject | phase | events | burst ms | ticks | lost | → last trigger ms | unsettled | CPU ms | ")
                .append("CPU µs/event | CPU/event ÷ jdk | peak RSS MB |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Subjects.Spec s : subjects) {
            List<Result> l = get(s.id(), "W7", 0);
            for (LargeTree.Phase phase : LargeTree.Phase.values()) {
                String p = phase.key() + ".";
                int unsettled = 0;
                for (Result x : l) {
                    if ("0".equals(x.metrics().get(p + "settled"))) {
                        unsettled++;
                    }
                }
                Stats truth = stats(l, p + "truth", 1);
                md.append("| ").append(s.label()).append(sessionNote(l)).append(" | ").append(phase.key())
                        .append(" | ").append(Stats.format(stats(l, p + "events", 1), 0)).append(" | ")
                        .append(Stats.format(stats(l, p + "burstMs", 1), 0)).append(" | ")
                        .append(Stats.format(stats(l, p + "triggers", 1), 0)).append(" | ")
                        .append(Stats.format(stats(l, p + "lost", 1), 0))
                        .append(truth == null ? "" : " / " + Stats.number(truth.max(), 0)).append(" | ")
                        .append(Stats.format(stats(l, p + "toLastTriggerMs", 1), 0)).append(" | ")
                        .append(unsettled == 0 ? "0" : unsettled + " of " + l.size()).append(" | ")
                        .append(costCells(l, "W7", 0, p)).append(" |\n");
            }
        }
        md.append('\n');
        md.append("| subject | start ms | heap per tracked file B | heap kept after delete MB | peak RSS of the ")
                .append("run MB |\n|---|---|---|---|---|\n");
        for (Subjects.Spec s : subjects) {
            List<Result> l = get(s.id(), "W7", 0);
            md.append("| ").append(s.label()).append(sessionNote(l)).append(" | ")
                    .append(Stats.format(stats(l, "startMs", 1), 0)).append(" | ")
                    .append(Stats.format(stats(l, "heapPerFile", 1), 0)).append(" | ")
                    .append(Stats.format(stats(l, "heapKeptAfterDelete", 1.0 / (1024 * 1024)), 1)).append(" | ")
                    .append(Stats.format(stats(l, "peakRssKb", 1.0 / 1024), 0)).append(" |\n");
        }
        md.append('\n');
    }

    // ------------------------------------------------------------------ targets

    private void targets(StringBuilder md) {
        md.append("## Targets\n\n");
        md.append("Reported against, not asserted. \"missed\" rows are real misses on this machine; the ")
                .append("observations at the end discuss them.\n\n");
        md.append("| target | subject | measured | verdict |\n|---|---|---|---|\n");
        for (Subjects.Spec s : OurSubjects.specs()) {
            if (!subjectsMeasured().contains(s)) {
                continue;
            }
            Targets.render(this, s, md);
            Targets.cost(this, s, md);
        }
        Targets.jmh(JmhResults.read(options.jmh), md);
        md.append('\n');
    }

    private void jmh(StringBuilder md) {
        JmhResults results = JmhResults.read(options.jmh);
        md.append("## JMH: core throughput and allocation\n\n");
        if (results == null) {
            md.append("No JMH results were given to this report (`--jmh FILE`).\n\n");
            return;
        }
        results.render(md);
    }

    private void memory(StringBuilder md) {
        if (memory.isEmpty()) {
            return;
        }
        String newest = memory.get(memory.size() - 1).session();
        md.append("## Core: memory is bounded by distinct paths\n\n");
        md.append("A `ReconcileDaemon` (defaults) holds its first tick open while N events over D distinct paths ")
                .append("arrive (a fresh `Path` and `Change` per event, as a watcher makes them); the heap retained ")
                .append("after a full GC, minus the heap before the push, is what the pending set keeps. Session ")
                .append(newest).append(".\n\n");
        md.append("| distinct paths D | events N | pending after the push | retained heap | bytes per pending path |\n");
        md.append("|---|---|---|---|---|\n");
        for (Result r : memory) {
            if (!r.session().equals(newest)) {
                continue;
            }
            Map<String, String> m = r.metrics();
            md.append("| ").append(Stats.number(Double.parseDouble(m.get("distinctPaths")), 0)).append(" | ")
                    .append(Stats.number(Double.parseDouble(m.get("events")), 0)).append(" | ")
                    .append(Stats.number(Double.parseDouble(m.get("pending")), 0)).append(" | ")
                    .append(Stats.number(Double.parseDouble(m.get("retainedBytes")), 0)).append(" B | ")
                    .append(m.get("bytesPerPending").isEmpty() ? "–"
                            : Stats.number(Double.parseDouble(m.get("bytesPerPending")), 0)).append(" |\n");
        }
        md.append('\n');
    }

    private void state(StringBuilder md) {
        if (state.isEmpty()) {
            return;
        }
        Result r = state.get(state.size() - 1);
        Map<String, String> m = r.metrics();
        md.append("## State store: bytes and time to durable per tick\n\n");
        md.append("A daemon on the native backend tracks ").append(Stats.number(Double.parseDouble(m.get("files")), 0))
                .append(" files with `StateStore.file` on the same disk (ext4 here); one file is modified at a time, ")
                .append(m.get("ticks")).append(" one-file ticks after a warm-up. Before a tick's reconcile starts, ")
                .append("the engine takes the source's incremental checkpoint and appends one journal record, forced ")
                .append("to disk: *time to durable* is those two steps, *bytes* what the record added. Full saves ")
                .append("(the baseline at start, and compactions once the journal outgrows the snapshot) are shown ")
                .append("apart. Session ").append(r.session()).append(".\n\n");
        md.append("| | median | p90 | p99 | max |\n|---|---|---|---|---|\n");
        md.append("| bytes per tick record | ").append(num(m, "bytesMedian", 0)).append(" B | ")
                .append(num(m, "bytesP90", 0)).append(" B | – | ").append(num(m, "bytesMax", 0)).append(" B |\n");
        md.append("| time to durable | ").append(num(m, "durableMsMedian", 2)).append(" ms | ")
                .append(num(m, "durableMsP90", 2)).append(" ms | ").append(num(m, "durableMsP99", 2)).append(" ms | ")
                .append(num(m, "durableMsMax", 2)).append(" ms |\n\n");
        md.append("| | |\n|---|---|\n");
        md.append("| records written before a tick's reconcile (measured above) | ").append(m.get("tickRecords"))
                .append(" |\n");
        md.append("| all writes in the measured ticks (records after ticks included) | ").append(m.get("writesMeasured"))
                .append(", ").append(num(m, "bytesPerTickAllWrites", 0)).append(" B per tick |\n");
        md.append("| full saves in the run | ").append(m.get("fullSaves")).append(", median ")
                .append(num(m, "fullSaveBytesMedian", 0)).append(" B, ").append(num(m, "fullSaveMsMedian", 1))
                .append(" ms |\n\n");
        md.append("Goal (issue 9): at most 4 KiB and 2 ms median per one-file tick. A full save is what every tick ")
                .append("wrote before the journal existed.\n\n");
    }

    private static String num(Map<String, String> m, String key, int decimals) {
        String v = m.get(key);
        return v == null ? "–" : Stats.number(Double.parseDouble(v), decimals);
    }

    /** The section that {@code launcher} wrote beside the report, if it ran. */
    private void launcher(StringBuilder md) {
        Path section = options.out.toAbsolutePath().getParent().resolve(
                options.out.getFileName().toString().replaceFirst("\\.md$", "") + "-launcher.md");
        if (Files.exists(section)) {
            try {
                md.append(Files.readString(section, StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void notes(StringBuilder md) {
        Path notes = options.out.toAbsolutePath().getParent().resolve(
                options.out.getFileName().toString().replaceFirst("\\.md$", "") + "-notes.md");
        md.append("## Observations\n\n");
        if (Files.exists(notes)) {
            try {
                md.append(Files.readString(notes, StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            md.append("(none written yet: put them in `").append(notes.getFileName()).append("`)\n");
        }
    }
}
