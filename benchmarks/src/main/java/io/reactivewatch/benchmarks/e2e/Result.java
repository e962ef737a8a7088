package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one measured run, as one tab-separated line of the raw results file:
 * {@code session, subject, workload, R in ms, repeat, key=value;key=value}.
 */
record Result(String session, String subject, String workload, long reconcileMs, int repeat,
        Map<String, String> metrics) {

    Result {
        metrics = new LinkedHashMap<>(metrics);
    }

    String line() {
        StringBuilder m = new StringBuilder();
        for (Map.Entry<String, String> e : metrics.entrySet()) {
            if (m.length() > 0) {
                m.append(';');
            }
            m.append(e.getKey()).append('=').append(e.getValue());
        }
        return String.join("\t", session, subject, workload, Long.toString(reconcileMs), Integer.toString(repeat),
                m.toString());
    }

    static Result parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 6) {
            throw new IllegalArgumentException("not a result line: " + line);
        }
        Map<String, String> metrics = new LinkedHashMap<>();
        if (!f[5].isEmpty()) {
            for (String kv : f[5].split(";")) {
                int eq = kv.indexOf('=');
                metrics.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return new Result(f[0], f[1], f[2], Long.parseLong(f[3]), Integer.parseInt(f[4]), metrics);
    }

    Double number(String key) {
        String v = metrics.get(key);
        return v == null || v.isEmpty() ? null : Double.valueOf(v);
    }

    static synchronized void append(Path file, Result r) throws IOException {
        Files.writeString(file, r.line() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    static List<Result> readAll(Path file) throws IOException {
        List<Result> all = new ArrayList<>();
        if (!Files.exists(file)) {
            return all;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                all.add(parse(line));
            }
        }
        return all;
    }
}
