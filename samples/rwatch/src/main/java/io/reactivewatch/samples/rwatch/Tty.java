package io.reactivewatch.samples.rwatch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What rwatch's stdin and stdout are, as far as terminals go: whether keys can be read from stdin (and how its
 * terminal is switched to single keys), and whether stdout is a terminal (where {@code --clear} clears the
 * screen).
 *
 * <p>Java 17 cannot tell: {@code System.console()} is non-null only when stdin and stdout are both terminals
 * ({@code rwatch --events-json - | jq} has one on stdin only), and nothing in it switches a terminal to single
 * keys. So rwatch asks the standard programs: {@code stty} on its own stdin, which fails when stdin is not a
 * terminal, and {@code sh -c 'test -t 1'} for stdout. Where {@code /proc/self/fd} can be read (Linux), a stdin
 * or stdout that is a file, a pipe or {@code /dev/null} is known at once, without starting a program. A
 * program that does not answer within two seconds counts as "no terminal".
 */
final class Tty {

    private static final Duration PROGRAM_WAIT = Duration.ofSeconds(2);
    private static final Keys.Mode NO_TERMINAL = new Keys.Mode() {
        @Override
        public String save() {
            return null;
        }

        @Override
        public boolean singleKeys() {
            return false;
        }

        @Override
        public void restore(String saved) {
        }
    };

    private final Keys.Mode stdinMode;
    private final InputStream stdin;
    private final BooleanSupplier stdoutIsTerminal;

    /**
     * @param stdinMode        how the terminal on stdin (if it is one) is switched
     * @param stdin            where keys are read from
     * @param stdoutIsTerminal whether stdout is a terminal
     */
    Tty(Keys.Mode stdinMode, InputStream stdin, BooleanSupplier stdoutIsTerminal) {
        this.stdinMode = stdinMode;
        this.stdin = stdin;
        this.stdoutIsTerminal = stdoutIsTerminal;
    }

    /** This process's stdin and stdout. */
    static Tty system() {
        Path proc = Path.of("/proc");
        return new Tty(new Stty(proc), System.in,
                () -> System.console() != null || mayBeTerminal(proc, 1) && isTerminalStdout());
    }

    /** No terminal at all: keys are never read, the screen is never cleared. */
    static Tty none() {
        return new Tty(NO_TERMINAL, InputStream.nullInputStream(), () -> false);
    }

    Keys.Mode stdinMode() {
        return stdinMode;
    }

    InputStream stdin() {
        return stdin;
    }

    boolean stdoutIsTerminal() {
        return stdoutIsTerminal.getAsBoolean();
    }

    /**
     * Whether file descriptor {@code fd} of this process may be a terminal: {@code false} when
     * {@code /proc/self/fd} says it is a file, a pipe, a socket or {@code /dev/null}; {@code true} when it names
     * another device, or cannot be read (another system: ask a program).
     */
    static boolean mayBeTerminal(Path proc, int fd) {
        try {
            String target = Files.readSymbolicLink(proc.resolve("self/fd/" + fd)).toString();
            return target.startsWith("/dev/") && !target.equals("/dev/null");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return true;
        }
    }

    /**
     * Whether this process runs in the background of its controlling terminal, read from a
     * {@code /proc/PID/stat} line: its process group is not the terminal's foreground group. A background
     * process that reads its terminal, or changes its settings, is stopped by the system (SIGTTIN, SIGTTOU).
     *
     * @param stat the line, or {@code null} when it cannot be read (then: not known to be in the background)
     */
    static boolean inBackground(String stat) {
        if (stat == null) {
            return false;
        }
        // "pid (comm) state ppid pgrp session tty_nr tpgid ...": comm may hold blanks and parentheses.
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return false;
        }
        String[] f = stat.substring(end + 1).trim().split("\\s+");
        if (f.length < 6) {
            return false;
        }
        try {
            long pgrp = Long.parseLong(f[2]);
            long foreground = Long.parseLong(f[5]);
            return foreground > 0 && foreground != pgrp;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isTerminalStdout() {
        return run(List.of("sh", "-c", "test -t 1"), Redirect.INHERIT) != null;
    }

    /**
     * Runs a program with rwatch's stdin, waiting at most {@link #PROGRAM_WAIT}.
     *
     * @param out where its stdout goes: {@link Redirect#PIPE} to read it
     * @return what it wrote (empty unless piped) when it exited 0; {@code null} when it failed, could not be
     *         started, or did not answer in time (it is killed then: a stopped {@code stty} would otherwise wait
     *         forever)
     */
    private static String run(List<String> command, Redirect out) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(Redirect.INHERIT).redirectOutput(out)
                    .redirectError(Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;
        }
        try {
            if (!p.waitFor(PROGRAM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            // Small enough to wait in the pipe until the program ended.
            String text = out == Redirect.PIPE ? new String(p.getInputStream().readAllBytes(), Charset.defaultCharset())
                    : "";
            return p.exitValue() == 0 ? text : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return null;
        }
    }

    /** The terminal on rwatch's stdin, through {@code stty}. */
    static final class Stty implements Keys.Mode {
        private final Path proc;

        Stty(Path proc) {
            this.proc = proc;
        }

        @Override
        public String save() {
            if (!mayBeTerminal(proc, 0) || inBackground(ownStat())) {
                return null;
            }
            String saved = run(List.of("stty", "-g"), Redirect.PIPE);
            return saved == null || saved.isBlank() ? null : saved.strip();
        }

        @Override
        public boolean singleKeys() {
            // Not "raw": Ctrl-C must still be SIGINT, and output is left as it is.
            return run(List.of("stty", "-icanon", "-echo", "min", "1", "time", "0"), Redirect.DISCARD) != null;
        }

        @Override
        public void restore(String saved) {
            List<String> command = new ArrayList<>();
            command.add("stty");
            command.add(saved);
            run(command, Redirect.DISCARD);
        }

        private String ownStat() {
            try {
                return Files.readString(proc.resolve(ProcessHandle.current().pid() + "/stat"));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
