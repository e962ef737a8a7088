package io.reactivewatch.benchmarks.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The rows of a JMH {@code -rf json} file that the report shows. */
final class JmhResults {

    /**
     * One benchmark and parameter set.
     *
     * @param benchmark     the simple class and method name
     * @param params        its parameters, {@code name=value}
     * @param score         the primary score
     * @param error         its 99.9 % error
     * @param unit          the score unit
     * @param allocPerOp    {@code gc.alloc.rate.norm} in bytes per operation, or NaN without {@code -prof gc}
     */
    record Row(String benchmark, String params, double score, double error, String unit, double allocPerOp) {
    }

    final List<Row> rows = new ArrayList<>();
    final String source;

    private JmhResults(String source) {
        this.source = source;
    }

    static JmhResults read(Path file) {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        JmhResults results = new JmhResults(file.getFileName().toString());
        JsonNode root = JsonMapper.builder().build().readTree(file);
        for (JsonNode b : root) {
            String name = b.path("benchmark").asString();
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            List<String> params = new ArrayList<>();
            JsonNode p = b.path("params");
            for (String k : p.propertyNames()) {
                params.add(k + "=" + p.path(k).asString());
            }
            JsonNode primary = b.path("primaryMetric");
            JsonNode alloc = b.path("secondaryMetrics").path("gc.alloc.rate.norm");
            results.rows.add(new Row(name, String.join(", ", params), number(primary.path("score")),
                    number(primary.path("scoreError")), primary.path("scoreUnit").asString(),
                    alloc.isMissingNode() ? Double.NaN : number(alloc.path("score"))));
        }
        return results;
    }

    /** JMH writes {@code "NaN"} as a string when it has too few iterations for an error. */
    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asString());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    void render(StringBuilder md) {
        md.append("From `").append(source).append("` (JMH, `-prof gc`). `DaemonThroughputBenchmark` pushes ")
                .append("1,000,000 events per invocation into a running `ReconcileDaemon` (default 50 ms window, ")
                .append("no count cap) through a `Sinks.many().unicast()` source and waits until a manual tick ")
                .append("has reconciled all of them; one operation is one event. `ChangeSetAlgebraBenchmark.of` ")
                .append("folds 100,000 events into a `ChangeSet` (one operation is one event); `merge` merges two ")
                .append("sets of `distinctPaths` changes each (one operation is one merge). Bytes per operation ")
                .append("come from `gc.alloc.rate.norm`.\n\n");
        md.append("| benchmark | params | score | ± 99.9 % | unit | allocated bytes per op |\n");
        md.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.benchmark()).append(" | ").append(r.params()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", r.score())).append(" | ")
                    .append(Double.isNaN(r.error()) ? "–" : String.format(Locale.ROOT, "%,.0f", r.error()))
                    .append(" | ").append(r.unit())
                    .append(" | ").append(Double.isNaN(r.allocPerOp()) ? "–"
                            : String.format(Locale.ROOT, "%,.1f", r.allocPerOp())).append(" |\n");
        }
        md.append('\n');
    }
}
