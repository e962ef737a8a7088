package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessControlTest {

    @TempDir
    Path dir;

    private Path program(String name, String permissions) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
        return p;
    }

    @Test
    void aProgramIsLookedUpAsExecvpWould() throws IOException {
        program("tool", "rwxr-xr-x");
        program("plain", "rw-r--r--");
        Files.createDirectory(dir.resolve("sub"));
        String path = dir + ":/nonexistent";

        assertThat(ProcessControl.whyNotRunnable("tool", path, Path.of("/"))).isNull();
        assertThat(ProcessControl.whyNotRunnable("./tool", "", dir)).as("relative to the command's directory").isNull();
        assertThat(ProcessControl.whyNotRunnable("no-such-tool", path, dir)).isEqualTo("not found on PATH");
        assertThat(ProcessControl.whyNotRunnable("plain", path, dir)).as("not executable: not found on PATH")
                .isEqualTo("not found on PATH");
        assertThat(ProcessControl.whyNotRunnable("./plain", path, dir)).startsWith("permission denied");
        assertThat(ProcessControl.whyNotRunnable("./sub", path, dir)).isEqualTo("it is a directory");
        assertThat(ProcessControl.whyNotRunnable(dir.resolve("gone").toString(), path, dir)).isEqualTo("no such file");
    }

    @Test
    void withoutSetsidThereAreNoGroupsAndTheWarningSaysWhatThatMeans() throws IOException {
        program("kill", "rwxr-xr-x");
        ProcessControl c = ProcessControl.detect(dir.toString(), Path.of("/proc"));
        assertThat(c.groups()).isFalse();
        assertThat(c.warning()).startsWith("setsid was not found on PATH")
                .contains("rwatch's own process group", "descendants rwatch can see");
    }

    @Test
    void withSetsidAndKillAndProcThereAreGroupsAndNoWarning() throws IOException {
        program("kill", "rwxr-xr-x");
        program("setsid", "rwxr-xr-x");
        Path proc = Files.createDirectories(dir.resolve("proc/self"));
        Files.writeString(proc.resolve("stat"), "1 (x) S 0 1 1");
        ProcessControl c = ProcessControl.detect(dir.toString(), dir.resolve("proc"));
        assertThat(c.groups()).isTrue();
        assertThat(c.warning()).isNull();
        assertThat(ProcessControl.detect(dir.toString(), dir.resolve("no-proc")).warning()).startsWith("/proc cannot be read");
    }
}
