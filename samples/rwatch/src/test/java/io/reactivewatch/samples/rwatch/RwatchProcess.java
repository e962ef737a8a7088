package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The real {@code rwatch.jar} run as a separate process: its JSON lines (from {@code --events-json -}) are
 * read as they come, and tests wait for them with deadlines.
 */
final class RwatchProcess implements AutoCloseable {

    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final Process process;
    private final List<JsonNode> lines = new ArrayList<>();
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private RwatchProcess(Process process) {
        this.process = process;
        this.stdoutReader = pump(process.getInputStream(), this::onStdoutLine, "rwatch-stdout");
        this.stderrReader = pump(process.getErrorStream(), this::onStderrLine, "rwatch-stderr");
    }

    static Path jar() {
        String jar = System.getProperty("rwatch.jar");
        assertThat(jar).as("system property rwatch.jar (set by failsafe)").isNotNull();
        return Path.of(jar);
    }

    /** Starts {@code java -jar rwatch.jar ARGS} in {@code dir}, with {@code env} added to the environment. */
    static RwatchProcess start(Path dir, Map<String, String> env, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A small, quickly started JVM: the machine running the tests has two cores.
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xmx256m");
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new RwatchProcess(pb.start());
    }

    static Path launcher() {
        String launcher = System.getProperty("rwatch.launcher");
        assertThat(launcher).as("system property rwatch.launcher (set by failsafe)").isNotNull();
        return Path.of(launcher);
    }

    /**
     * Starts {@code LAUNCHER ARGS} (the {@code target/rwatch} script, or a link to it) in {@code dir}, with
     * {@code env} added to the environment (a null value removes one); {@code JAVA_HOME} is the JVM running the tests unless {@code env}
     * says otherwise, since the build made the launcher's archive with that JVM.
     */
    static RwatchProcess launch(Path launcher, Path dir, Map<String, String> env, List<String> args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // A null value (in a map that allows it) removes the variable.
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new RwatchProcess(pb.start());
    }

    /** The process as the system sees it: after the launcher's exec, the JVM. */
    ProcessHandle handle() {
        return process.toHandle();
    }

    static RwatchProcess start(Path dir, String... args) throws IOException {
        return start(dir, Map.of(), List.of(args));
    }

    private static Thread pump(InputStream in, Consumer<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private synchronized void onStdoutLine(String line) {
        stdout.append(line).append('\n');
        if (line.startsWith("{")) {
            try {
                lines.add(EventJson.MAPPER.readTree(line));
            } catch (JacksonException e) {
                throw new AssertionError("rwatch wrote a line that is not JSON: " + line, e);
            }
            notifyAll();
        }
    }

    private synchronized void onStderrLine(String line) {
        stderr.append(line).append('\n');
        notifyAll();
    }

    synchronized List<JsonNode> lines() {
        return List.copyOf(lines);
    }

    synchronized List<JsonNode> lines(String type) {
        return lines.stream().filter(n -> n.get("type").asString().equals(type)).toList();
    }

    /** Everything written to stdout so far, JSON or not. */
    synchronized String stdout() {
        return stdout.toString();
    }

    synchronized String stderr() {
        return stderr.toString();
    }

    /** Waits until a line matching {@code condition} has been written, and returns the first such line. */
    synchronized JsonNode await(String what, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            for (JsonNode n : lines) {
                if (condition.test(n)) {
                    return n;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && !stdoutReader.isAlive()) {
                throw new AssertionError("no JSON line " + what + " within " + DEADLINE.toSeconds() + " s; lines: "
                        + lines + "\nstderr:\n" + stderr);
            }
            waitNanos(left);
        }
    }

    JsonNode awaitType(String type) {
        return await("of type " + type, n -> n.get("type").asString().equals(type));
    }

    JsonNode awaitTick(long number) {
        return await("for tick " + number, n -> n.get("type").asString().equals("tick") && n.get("tick").asLong() == number);
    }

    /** Waits until the lines written so far satisfy {@code condition}. */
    synchronized void awaitLines(String what, Predicate<List<JsonNode>> condition) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.test(lines)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && !stdoutReader.isAlive()) {
                throw new AssertionError("timed out waiting for " + what + "; lines: " + lines + "\nstderr:\n" + stderr);
            }
            waitNanos(left);
        }
    }

    synchronized void awaitStderr(String text) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (stderr.indexOf(text) < 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && !stderrReader.isAlive()) {
                throw new AssertionError("stderr did not show '" + text + "'; stderr:\n" + stderr);
            }
            waitNanos(left);
        }
    }

    private void waitNanos(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(200)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGTERM. Through the handle: {@code Process.destroy()} would also close our end of its pipes. */
    void terminate() {
        process.toHandle().destroy();
    }

    /** SIGINT. */
    void interrupt() throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    /** Waits for the process to exit and for its output to be read; returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rwatch did not exit within " + DEADLINE.toSeconds() + " s; stderr:\n" + stderr());
        }
        stdoutReader.join(TimeUnit.SECONDS.toMillis(10));
        stderrReader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** Stops with SIGTERM and checks the graceful end: exit 0, and {@code stopped} as the last line. */
    void stopGracefully() throws InterruptedException {
        terminate();
        assertThat(awaitExit()).as("exit status; stderr:\n%s", stderr()).isZero();
        List<JsonNode> all = lines();
        assertThat(all).isNotEmpty();
        assertThat(all.get(all.size() - 1).get("type").asString()).as("last line of %s; stderr:\n%s", all, stderr())
                .isEqualTo("stopped");
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Writes a file so that it appears at once, whole: one {@code created} or {@code modified}. */
    static void writeAtomically(Path target, String content, Path scratch) {
        try {
            Path tmp = Files.createTempFile(scratch, "w", ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> paths(JsonNode tick) {
        List<String> paths = new ArrayList<>();
        tick.get("changes").forEach(c -> paths.add(c.get("path").asString()));
        return paths;
    }

    static List<String> triggers(JsonNode tick) {
        List<String> t = new ArrayList<>();
        tick.get("triggers").forEach(n -> t.add(n.asString()));
        return t;
    }
}
