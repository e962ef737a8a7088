package io.reactivewatch.benchmarks.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Facts about the machine and the versions measured, for the report. */
final class Machine {

    /** Every child JVM runs with these, so heap and RSS figures compare. */
    static final List<String> CHILD_JVM_OPTIONS = List.of("-Xms64m", "-Xmx1g", "-XX:+UseG1GC",
            "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    private Machine() {
    }

    static Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("nproc", Integer.toString(Runtime.getRuntime().availableProcessors()));
        f.put("memTotal", encode(Harness.readFirstLine(Path.of("/proc/meminfo"), "MemTotal:")));
        f.put("cpu", encode(Harness.readFirstLine(Path.of("/proc/cpuinfo"), "model name").replaceFirst("^:\\s*", "")));
        f.put("jdk", encode(System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")"));
        f.put("os", encode(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch")));
        f.put("childJvm", encode(String.join(" ", CHILD_JVM_OPTIONS)));
        return f;
    }

    /** The 1-, 5- and 15-minute load averages. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim().split("\\s+");
            return f[0] + "/" + f[1] + "/" + f[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    static Properties versions() {
        Properties p = new Properties();
        try (InputStream in = Machine.class.getResourceAsStream("/io/reactivewatch/benchmarks/versions.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // the report then says "unknown"
        }
        return p;
    }

    /** Keeps a free-text value safe inside the raw results format. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String decode(String s) {
        return s == null ? "" : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
