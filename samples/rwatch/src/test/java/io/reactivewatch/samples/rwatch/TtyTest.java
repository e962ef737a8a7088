package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtyTest {

    @TempDir
    Path proc;

    private void descriptor(int fd, String target) throws IOException {
        Path dir = Files.createDirectories(proc.resolve("self/fd"));
        Files.createSymbolicLink(dir.resolve(String.valueOf(fd)), Path.of(target));
    }

    @Test
    void aFileAPipeOrDevNullIsNoTerminalAndADeviceMayBeOne() throws IOException {
        descriptor(0, "/dev/null");
        descriptor(1, "pipe:[4242]");
        descriptor(2, "/home/me/rwatch.log");
        descriptor(3, "/dev/pts/3");
        descriptor(4, "socket:[77]");

        assertThat(Tty.mayBeTerminal(proc, 0)).isFalse();
        assertThat(Tty.mayBeTerminal(proc, 1)).isFalse();
        assertThat(Tty.mayBeTerminal(proc, 2)).isFalse();
        assertThat(Tty.mayBeTerminal(proc, 3)).isTrue();
        assertThat(Tty.mayBeTerminal(proc, 4)).isFalse();
    }

    @Test
    void withoutProcAProgramHasToTell() {
        assertThat(Tty.mayBeTerminal(proc.resolve("missing"), 0)).isTrue();
    }

    @Test
    void aProcessIsInTheBackgroundWhenItsGroupIsNotTheTerminalsForegroundGroup() {
        // pid (comm) state ppid pgrp session tty_nr tpgid ...
        assertThat(Tty.inBackground("4321 (java) S 100 4321 100 34816 4321 4194304 0")).isFalse();
        assertThat(Tty.inBackground("4321 (java) S 100 4321 100 34816 4400 4194304 0")).isTrue();
        assertThat(Tty.inBackground("4321 (my (odd) name) S 100 4321 100 34816 4400 0")).isTrue();
        assertThat(Tty.inBackground("4321 (java) S 100 4321 4321 0 -1 4194304 0"))
                .as("no controlling terminal: no job control either").isFalse();
        assertThat(Tty.inBackground(null)).isFalse();
        assertThat(Tty.inBackground("garbage")).isFalse();
    }

    @Test
    void underTheTestRunnerNeitherStdinNorStdoutIsATerminal() {
        assumeTrue(System.console() == null, "a test JVM forked with pipes, as Surefire does");
        // Surefire talks to the test JVM through its stdin: keys must never be read from it.
        Tty tty = Tty.system();
        assertThat(tty.stdinMode().save()).isNull();
        assertThat(tty.stdoutIsTerminal()).isFalse();
    }

    @Test
    void noTerminalReadsNoKeysAndClearsNoScreen() {
        assertThat(Tty.none().stdinMode().save()).isNull();
        assertThat(Tty.none().stdoutIsTerminal()).isFalse();
    }
}
