package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A shell command line run in a pseudo-terminal through util-linux's {@code script}: the command's stdin,
 * stdout and stderr are the terminal, what it writes there is read raw (escape sequences, carriage returns and
 * all; the terminal turns each newline into CR LF), and keys are typed into it. Tests wait on what the output
 * shows, with a deadline.
 */
final class PtyProcess implements AutoCloseable {

    private final Process process;
    private final OutputStream keyboard;
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Thread reader;

    private PtyProcess(Process process) {
        this.process = process;
        this.keyboard = process.getOutputStream();
        this.reader = new Thread(this::read, "pty-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether {@code script} is there to run a pseudo-terminal. */
    static boolean available() {
        return ProcessControl.onPath("script", System.getenv("PATH")) != null;
    }

    /** Runs {@code commandLine} ({@code sh} syntax) in a new pseudo-terminal, in {@code dir}. */
    static PtyProcess start(Path dir, String commandLine) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", commandLine, "/dev/null").directory(dir.toFile())
                .redirectErrorStream(true);
        return new PtyProcess(pb.start());
    }

    /** The jar as a command line: {@code java ... -jar rwatch.jar ARGS}, each word quoted for {@code sh}. */
    static String rwatch(List<String> args) {
        List<String> words = new ArrayList<>();
        words.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        words.add("-XX:TieredStopAtLevel=1");
        words.add("-XX:+UseSerialGC");
        words.add("-Xmx256m");
        words.add("-jar");
        words.add(RwatchProcess.jar().toString());
        words.addAll(args);
        return quote(words);
    }

    static String quote(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }

    private void read() {
        byte[] buffer = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                synchronized (this) {
                    screen.write(buffer, 0, n);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // The terminal closed.
        }
    }

    /** Everything written to the terminal so far, raw. */
    synchronized String output() {
        return screen.toString(StandardCharsets.UTF_8);
    }

    /** Types keys, as a user does: each byte reaches the program as the terminal passes it on. */
    void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits until the output satisfies {@code condition}. */
    synchronized void await(String what, Predicate<String> condition) {
        long deadline = System.nanoTime() + RwatchProcess.DEADLINE.toNanos();
        while (!condition.test(output())) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive() && !reader.isAlive()) {
                throw new AssertionError("the terminal did not show " + what + " within "
                        + RwatchProcess.DEADLINE.toSeconds() + " s; it shows:\n" + visible(output()));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Waits until the output contains {@code text}. */
    void awaitText(String text) {
        await("'" + visible(text) + "'", out -> out.contains(text));
    }

    /** Waits for the command line to end and its output to be read; returns its exit status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(RwatchProcess.DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("still running after " + RwatchProcess.DEADLINE.toSeconds() + " s; the terminal "
                    + "shows:\n" + visible(output()));
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    /** The output with control characters made visible, for failure messages. */
    static String visible(String raw) {
        return raw.replace("\033", "\\e").replace("\r", "\\r").replace("\n", "\\n\n");
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        keyboard.close();
    }

    /** Waits for the end and checks the exit status, showing the terminal when it differs. */
    static void assertExited(PtyProcess p, int expected) throws InterruptedException {
        assertThat(p.awaitExit()).as("exit status; the terminal showed:\n%s", visible(p.output())).isEqualTo(expected);
    }
}
