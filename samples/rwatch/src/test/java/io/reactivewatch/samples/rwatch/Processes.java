package io.reactivewatch.samples.rwatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What the tests ask about processes. */
final class Processes {

    private Processes() {
    }

    /**
     * Whether {@code pid} is a live process. A zombie has ended: only its parent, or init, has not collected
     * it yet, so it does not count (on Linux, from {@code /proc}; elsewhere as {@link ProcessHandle} says).
     */
    static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.isDirectory(Path.of("/proc/self"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String s = Files.readString(stat);
            char state = s.charAt(s.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A directory to detect process control from as on a system without setsid (macOS): it holds only a
     * {@code kill} program, a script that runs the real one.
     */
    static Path binWithKillOnly(Path parent) throws IOException {
        Path kill = ProcessControl.onPath("kill", System.getenv("PATH"));
        if (kill == null) {
            throw new IllegalStateException("no kill program on PATH");
        }
        Path bin = Files.createDirectories(parent.resolve("bin"));
        Path script = Files.writeString(bin.resolve("kill"), "#!/bin/sh\nexec '" + kill + "' \"$@\"\n");
        if (!script.toFile().setExecutable(true)) {
            throw new IllegalStateException("cannot make " + script + " executable");
        }
        return bin;
    }
}
