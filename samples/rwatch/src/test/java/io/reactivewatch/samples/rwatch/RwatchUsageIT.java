package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to the jar: one clear line on stderr, exit status 2, nothing on stdout. */
class RwatchUsageIT {

    @TempDir
    Path dir;

    private void assertRejected(String expected, String... args) throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(dir, Map.of(), List.of(args))) {
            assertThat(rw.awaitExit()).isEqualTo(2);
            List<String> err = rw.stderr().lines().toList();
            assertThat(err).hasSize(1);
            assertThat(err.get(0)).startsWith("rwatch: ").contains(expected);
            assertThat(rw.lines()).isEmpty();
        }
    }

    @Test
    void anUnknownOptionIsRejected() throws Exception {
        assertRejected("Unknown option: '--frobnicate'", "--frobnicate", "--events-json", "-");
    }

    @Test
    void aMissingRootIsRejected() throws Exception {
        Path missing = dir.resolve("missing");
        assertRejected("watch root does not exist: " + missing, "-w", missing.toString(), "--events-json", "-");
    }

    @Test
    void aRootThatIsNeitherADirectoryNorARegularFileIsRejected() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        assertRejected("watch root is neither a directory nor a regular file: " + fifo, "-w", fifo.toString(),
                "--events-json", "-");
    }

    @Test
    void clearWithJsonOnStdoutIsRejected() throws Exception {
        assertRejected("--clear and --events-json - cannot be combined", "--clear", "--events-json", "-", "--",
                "true");
    }

    @Test
    void aMalformedDurationIsRejected() throws Exception {
        assertRejected("'50' is not a duration", "--window", "50", "--events-json", "-");
    }

    @Test
    void maxBatchWithSettleIsRejectedInsteadOfIgnored() throws Exception {
        assertRejected("--max-batch and --settle cannot be combined", "--settle", "300ms", "--max-batch", "50",
                "--events-json", "-");
    }

    @Test
    void aStateFileThatIsNotOursIsRefusedAndLeftAsItWas() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes\n");
        assertRejected("state file " + notes.toAbsolutePath() + " is not a reactive-watch state file",
                "--state", notes.toString(), "--events-json", "-");
        assertThat(Files.readString(notes)).isEqualTo("my notes\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void anEmptyJsonObjectAsStateIsRefusedToo() throws Exception {
        Path state = Files.writeString(dir.resolve("state.json"), "{}");
        assertRejected("is not a reactive-watch state file", "--state", state.toString(), "--events-json", "-");
    }

    @Test
    void aWorkdirThatDoesNotExistIsRejected() throws Exception {
        Path missing = dir.resolve("missing");
        assertRejected("--workdir " + missing + " does not exist", "--workdir", missing.toString(), "--events-json", "-",
                "--", "true");
    }

    @Test
    void conflictingBusyOptionsAreRejected() throws Exception {
        assertRejected("--restart and --on-busy queue cannot be combined", "-r", "--on-busy", "queue",
                "--events-json", "-");
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        try (RwatchProcess rw = RwatchProcess.start(dir, "--version")) {
            assertThat(rw.awaitExit()).isZero();
        }
        try (RwatchProcess rw = RwatchProcess.start(dir, "--help")) {
            assertThat(rw.awaitExit()).isZero();
            assertThat(rw.stderr()).isEmpty();
        }
    }
}
