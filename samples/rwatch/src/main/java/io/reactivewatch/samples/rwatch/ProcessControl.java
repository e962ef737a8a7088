package io.reactivewatch.samples.rwatch;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How rwatch starts the command and stops it together with everything it started.
 *
 * <p>Where {@code setsid} (util-linux) and a {@code kill} program are on the PATH and {@code /proc} can be read
 * (Linux), the command starts as {@code setsid -- COMMAND ARGS...}. setsid makes the process the leader of a
 * new session and process group and then runs the command in its place, so the command's pid is its group id,
 * and whatever it starts stays in that group unless it leaves on purpose. A signal goes to the whole group at
 * once ({@code kill -s SIG -- -PGID}) and to any descendant that left it, and the command counts as gone
 * once no live process of the group, nor such a descendant, is left. A zombie (a process that has ended but
 * that its parent, or init, has not collected yet) counts as gone: waiting for it would wait for someone
 * else's bookkeeping.
 *
 * <p>Elsewhere (macOS, a system without setsid) the command runs in rwatch's own process group, and a signal
 * goes to the command and to the descendants {@link ProcessHandle#descendants()} finds at that moment: a
 * grandchild whose parent has already ended is out of reach. {@link #warning()} says so, once.
 */
final class ProcessControl {

    /** How long a just-started command may take to become its group's leader (setsid runs first). */
    private static final Duration LEADER_WAIT = Duration.ofSeconds(2);
    private static final Duration KILL_PROGRAM_WAIT = Duration.ofSeconds(5);
    /** Polling for the end of a group: from this, doubling, to {@link #MAX_POLL}. */
    private static final Duration FIRST_POLL = Duration.ofMillis(1);
    private static final Duration MAX_POLL = Duration.ofMillis(25);

    private final Path setsid;
    private final Path kill;
    private final Path proc;

    private ProcessControl(Path setsid, Path kill, Path proc) {
        this.setsid = setsid;
        this.kill = kill;
        this.proc = proc;
    }

    /** What this system offers, from rwatch's own PATH. */
    static ProcessControl detect() {
        return detect(System.getenv("PATH"), Path.of("/proc"));
    }

    /**
     * What a system with this PATH and this proc file system offers.
     *
     * @param path the PATH to look for {@code setsid} and {@code kill} in
     * @param proc where the proc file system is mounted
     */
    static ProcessControl detect(String path, Path proc) {
        boolean procReadable = Files.isReadable(proc.resolve("self").resolve("stat"));
        return new ProcessControl(onPath("setsid", path), onPath("kill", path), procReadable ? proc : null);
    }

    /** Whether commands run in process groups of their own. */
    boolean groups() {
        return setsid != null && kill != null && proc != null;
    }

    /** Why commands do not run in groups of their own, and what that means; {@code null} when they do. */
    String warning() {
        if (groups()) {
            return null;
        }
        String why = setsid == null ? "setsid was not found on PATH"
                : kill == null ? "no kill program was found on PATH" : "/proc cannot be read";
        return why + ": the command runs in rwatch's own process group, and stopping it signals only the command "
                + "and the descendants rwatch can see (process groups need Linux with util-linux's setsid)";
    }

    /**
     * Starts {@code pb}'s command: through setsid when {@link #groups()}, as it is otherwise. A program that
     * cannot be run is reported as an {@link IOException} saying why, before anything starts.
     */
    CommandProcess start(ProcessBuilder pb) throws IOException {
        String program = pb.command().get(0);
        String path = pb.environment().getOrDefault("PATH", "/usr/bin:/bin");
        Path dir = pb.directory() != null ? pb.directory().toPath() : Path.of("").toAbsolutePath();
        String problem = whyNotRunnable(program, path, dir);
        if (problem != null) {
            throw new IOException(problem);
        }
        if (!groups()) {
            return new CommandProcess(this, pb.start(), 0);
        }
        List<String> command = new ArrayList<>();
        command.add(setsid.toString());
        command.add("--");
        command.addAll(pb.command());
        pb.command(command);
        Process p = pb.start();
        return new CommandProcess(this, p, awaitLeader(p) ? p.pid() : 0);
    }

    /**
     * Why {@code program} cannot be run, as {@code execvp} would look for it, or {@code null} when it can: a
     * name with a {@code /} is a path (relative to the command's directory), any other is looked up on the
     * command's PATH.
     */
    static String whyNotRunnable(String program, String path, Path dir) {
        if (program.isEmpty()) {
            return "an empty program name";
        }
        if (program.contains("/")) {
            Path p;
            try {
                p = dir.resolve(program);
            } catch (InvalidPathException e) {
                return "not a valid path";
            }
            if (!Files.exists(p)) {
                return "no such file";
            }
            if (Files.isDirectory(p)) {
                return "it is a directory";
            }
            return Files.isExecutable(p) ? null : "permission denied (not executable)";
        }
        return onPath(program, path) != null ? null : "not found on PATH";
    }

    /** The first executable regular file {@code name} in the PATH's directories, or {@code null}. */
    static Path onPath(String name, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            } catch (InvalidPathException e) {
                // Not a directory name this system can have.
            }
        }
        return null;
    }

    /**
     * Waits until setsid has made {@code p} the leader of its own group (pid = process group id), which takes
     * it well under a millisecond; until then a signal to the group would reach nobody.
     */
    private boolean awaitLeader(Process p) {
        long deadline = System.nanoTime() + LEADER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Stat stat = stat(p.pid());
            if (stat == null || stat.pgrp() == p.pid()) {
                return true; // ended already (nothing to signal), or leading its group
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return false;
    }

    /** A process's state letter and group from {@code /proc/PID/stat}, or {@code null} when it is gone. */
    private Stat stat(long pid) {
        try {
            String s = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            // "pid (comm) S ppid pgrp ...": comm may hold spaces and parentheses, so count from the last ')'.
            String[] fields = s.substring(s.lastIndexOf(')') + 2).split(" ", 4);
            return new Stat(fields[0].charAt(0), Long.parseLong(fields[2]));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // gone while being read, or not a process directory
        }
    }

    private record Stat(char state, long pgrp) {
        boolean live() {
            return state != 'Z' && state != 'X';
        }
    }

    /** Whether {@code pid} is a live process, zombies not counted. */
    private boolean alive(long pid) {
        if (proc == null) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        Stat s = stat(pid);
        return s != null && s.live();
    }

    /** The live processes of group {@code pgid}. */
    private List<Long> members(long pgid) {
        List<Long> members = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(name);
                } catch (NumberFormatException e) {
                    continue;
                }
                Stat s = stat(pid);
                if (s != null && s.pgrp() == pgid && s.live()) {
                    members.add(pid);
                }
            }
        } catch (IOException e) {
            // /proc went away: nothing can be found any more.
        }
        return members;
    }

    /**
     * Sends {@code signal} to {@code targets}: pids, and groups as negative numbers. With a kill program in
     * one call to it; without one only TERM and KILL can be sent, to pids, through {@link ProcessHandle}.
     *
     * @return whether the signal could be sent (a target that is already gone does not count against it)
     */
    private boolean send(Signal signal, List<Long> targets) {
        if (targets.isEmpty()) {
            return true;
        }
        if (kill != null) {
            List<String> command = new ArrayList<>(List.of(kill.toString(), "-s", signal.name(), "--"));
            targets.forEach(t -> command.add(Long.toString(t)));
            try {
                Process k = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!k.waitFor(KILL_PROGRAM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    k.destroyForcibly();
                }
                return true; // a non-zero status means some target was gone already
            } catch (IOException e) {
                // Fall through: TERM and KILL still work without it.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (!signal.equals(Signal.TERM) && !signal.equals(Signal.KILL)) {
            return false;
        }
        for (long t : targets) {
            if (t > 0) {
                ProcessHandle.of(t).ifPresent(h -> {
                    if (signal.equals(Signal.KILL)) {
                        h.destroyForcibly();
                    } else {
                        h.destroy();
                    }
                });
            }
        }
        return true;
    }

    /**
     * One started command: the process rwatch started and, when it leads a group of its own, that group.
     * Every method may be called from any thread.
     */
    static final class CommandProcess {
        private final ProcessControl control;
        private final Process process;
        private final long pgid;
        /** Descendants signalled outside the group (or, without a group, all of them): waited for too. */
        private final Set<Long> strays = ConcurrentHashMap.newKeySet();

        CommandProcess(ProcessControl control, Process process, long pgid) {
            this.control = control;
            this.process = process;
            this.pgid = pgid;
        }

        Process process() {
            return process;
        }

        /** Whether the command leads a process group of its own. */
        boolean grouped() {
            return pgid > 0;
        }

        /** What a signal reaches, for messages: {@code process group 1234}. */
        String describe() {
            return grouped() ? "process group " + pgid : "process " + process.pid() + " and its descendants";
        }

        /**
         * Sends {@code signal} to the group and to descendants that left it; without a group, to the command
         * and the descendants found now.
         *
         * @return whether it could be sent (without a kill program only TERM and KILL can)
         */
        boolean signal(Signal signal) {
            List<Long> targets = new ArrayList<>();
            if (grouped()) {
                targets.add(-pgid);
            } else if (process.isAlive()) {
                targets.add(process.pid());
            }
            process.descendants().forEach(d -> {
                if (!grouped() || !Objects.equals(groupOf(d.pid()), pgid)) {
                    strays.add(d.pid());
                    targets.add(d.pid());
                }
            });
            return control.send(signal, targets);
        }

        private Long groupOf(long pid) {
            if (control.proc == null) {
                return null;
            }
            Stat s = control.stat(pid);
            return s == null ? null : s.pgrp();
        }

        /** Whether the command, its group and every stray signalled are gone (zombies count as gone). */
        boolean gone() {
            if (process.isAlive()) {
                return false;
            }
            if (grouped() && !control.members(pgid).isEmpty()) {
                return false;
            }
            strays.removeIf(pid -> !control.alive(pid));
            return strays.isEmpty();
        }

        /**
         * Waits until {@link #gone()} or the deadline.
         *
         * @param deadline a {@link System#nanoTime()} value
         * @return whether it is gone
         */
        boolean awaitGone(long deadline) {
            long pause = FIRST_POLL.toNanos();
            while (!gone()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                if (process.isAlive()) {
                    // The command itself first: its exit is told at once, without polling.
                    try {
                        process.waitFor(Math.min(left, MAX_POLL.toNanos()), TimeUnit.NANOSECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                    continue;
                }
                LockSupport.parkNanos(Math.min(pause, left));
                pause = Math.min(pause * 2, MAX_POLL.toNanos());
            }
            return true;
        }
    }
}
