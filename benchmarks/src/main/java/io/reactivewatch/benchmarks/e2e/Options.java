package io.reactivewatch.benchmarks.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The e2e command line. Bad input yields one {@link IllegalArgumentException} with a message for the user. */
final class Options {

    static final String USAGE = String.join("\n",
            "usage: java -jar benchmarks.jar e2e [options]",
            "  --subjects LIST    comma-separated subject ids (default: all): " + String.join(",", Subjects.ids()),
            "  --workloads LIST   W1..W7, MEM for the core's pending-set memory check, STATE for the state store's",
            "                     cost per tick with 200,000 tracked files (default: all); W7 (200,000 files",
            "                     created, 10 % modified, all deleted) runs at R = 0 only and takes minutes",

            "  --r LIST           simulated reconcile times in ms (default: 0,200)",
            "  --repeats N        measured repeats per subject, workload and R (default: 3)",
            "  --warmup N         unrecorded rounds of W1, W2 and W5 (R = 0) per subject JVM (default: 1)",
            "  --idle DURATION    W6 idle time per repeat, e.g. 30s (default: 30s)",
            "  --deadline DURATION  give up waiting for a subject this long after a burst's last write (default: 10s)",
            "  --out FILE         markdown report (default: docs/benchmarks.md); the chart and the raw results",
            "                     go next to it (benchmarks-lost-and-latency.png, benchmarks-raw.tsv)",
            "  --jmh FILE         JMH JSON results (-rf json) to include in the report",
            "  --tmp DIR          where the temporary trees go (default: java.io.tmpdir)",
            "  --jfr DIR          write a flight recording (JFR, profile settings) of every measured burst window",
            "                     and W6 idle time to DIR, one file per run; it costs CPU, so figures of such a",
            "                     run are for finding where the time goes, not for the report",
            "  --report-only      re-render the report from the raw results, run nothing",
            "  --smoke            a few seconds: subjects jdk (+ ours when present), W1, R = 0, 1 repeat, no warm-up;",
            "                     --subjects, --workloads, --r, --repeats and --warmup given with it win;",
            "                     writes to target/e2e-smoke.md unless --out is given",
            "  --help             this text");

    List<String> subjects = new ArrayList<>();
    List<String> workloads = new ArrayList<>(List.of("W1", "W2", "W3", "W4", "W5", "W6", "W7", "MEM", "STATE"));
    List<Long> reconcileMs = new ArrayList<>(List.of(0L, 200L));
    int repeats = 3;
    int warmup = 1;
    long idleMs = 30_000;
    long deadlineMs = 10_000;
    Path out = Path.of("docs/benchmarks.md");
    Path jmh;
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path jfr;
    boolean reportOnly;
    boolean smoke;
    boolean help;
    final List<String> raw = new ArrayList<>();

    static Options parse(String[] args) {
        Options o = new Options();
        boolean outGiven = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            o.raw.add(a);
            switch (a) {
                case "--help":
                case "-h":
                    o.help = true;
                    break;
                case "--report-only":
                    o.reportOnly = true;
                    break;
                case "--smoke":
                    o.smoke = true;
                    break;
                default:
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("unknown option or missing value: " + a);
                    }
                    String v = args[++i];
                    o.raw.add(v);
                    switch (a) {
                        case "--subjects":
                            o.subjects = list(v);
                            for (String s : o.subjects) {
                                Subjects.byId(s);
                            }
                            break;
                        case "--workloads":
                            o.workloads = new ArrayList<>();
                            for (String w : list(v)) {
                                String up = w.toUpperCase(Locale.ROOT);
                                if (!up.matches("W[1-7]|MEM|STATE")) {
                                    throw new IllegalArgumentException("unknown workload '" + w
                                            + "': W1..W7, MEM or STATE");
                                }
                                o.workloads.add(up);
                            }
                            break;
                        case "--r":
                            o.reconcileMs = new ArrayList<>();
                            for (String r : list(v)) {
                                o.reconcileMs.add(nonNegative("--r", r));
                            }
                            break;
                        case "--repeats":
                            o.repeats = (int) positive("--repeats", v);
                            break;
                        case "--warmup":
                            o.warmup = (int) nonNegative("--warmup", v);
                            break;
                        case "--idle":
                            o.idleMs = duration("--idle", v);
                            break;
                        case "--deadline":
                            o.deadlineMs = duration("--deadline", v);
                            break;
                        case "--out":
                            o.out = Path.of(v);
                            outGiven = true;
                            break;
                        case "--jmh":
                            o.jmh = Path.of(v);
                            break;
                        case "--tmp":
                            o.tmp = Path.of(v);
                            break;
                        case "--jfr":
                            o.jfr = Path.of(v);
                            break;
                        default:
                            throw new IllegalArgumentException("unknown option: " + a);
                    }
            }
        }
        if (o.smoke) {
            // Smoke only picks what was not asked for: `--smoke --workloads W2,W3` checks the cost columns on a
            // real burst in a minute.
            if (!o.raw.contains("--subjects")) {
                o.subjects = new ArrayList<>();
                for (Subjects.Spec s : OurSubjects.specs()) {
                    if (s.id().equals("rw-native")) {
                        o.subjects.add(s.id());
                    }
                }
                o.subjects.add("jdk");
            }
            if (!o.raw.contains("--workloads")) {
                o.workloads = List.of("W1");
            }
            if (!o.raw.contains("--r")) {
                o.reconcileMs = List.of(0L);
            }
            if (!o.raw.contains("--repeats")) {
                o.repeats = 1;
            }
            if (!o.raw.contains("--warmup")) {
                o.warmup = 0;
            }
            if (!outGiven) {
                o.out = Path.of("target/e2e-smoke.md");
            }
        }
        if (o.subjects.isEmpty()) {
            o.subjects = Subjects.ids();
        }
        return o;
    }

    Path chart() {
        return sibling("benchmarks-lost-and-latency.png");
    }

    Path results() {
        return sibling("benchmarks-raw.tsv");
    }

    private Path sibling(String name) {
        Path parent = out.toAbsolutePath().getParent();
        String base = out.getFileName().toString().replaceFirst("\\.md$", "");
        if (!base.equals("benchmarks")) {
            name = name.replaceFirst("^benchmarks", base);
        }
        return parent.resolve(name);
    }

    private static List<String> list(String v) {
        List<String> l = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                l.add(s.trim());
            }
        }
        if (l.isEmpty()) {
            throw new IllegalArgumentException("empty list: '" + v + "'");
        }
        return l;
    }

    private static long nonNegative(String name, String v) {
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a number, got '" + v + "'");
        }
    }

    private static long positive(String name, String v) {
        long n = nonNegative(name, v);
        if (n == 0) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
        return n;
    }

    /** {@code 500ms}, {@code 30s}, {@code 2m}. */
    static long duration(String name, String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(v.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(name + " expects a duration such as 500ms, 30s or 2m, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return n;
            case "s":
                return n * 1000;
            default:
                return n * 60_000;
        }
    }
}
