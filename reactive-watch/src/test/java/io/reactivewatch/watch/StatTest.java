package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatTest {

    @TempDir
    Path tmp;

    @Test
    void aPathUnderADirectoryReplacedByAFileIsAbsentNotAnError() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir/sub"));
        Files.delete(dir);
        Files.delete(dir.getParent());
        Files.writeString(tmp.resolve("dir"), "now a file");

        assertThat(Stat.of(tmp.resolve("dir/sub/x.txt"), false)).isNull();
        assertThat(Stat.of(tmp.resolve("dir/x.txt"), true)).isNull();
    }

    @Test
    void aMissingPathIsAbsentAndAnExistingOneHasItsType() throws IOException {
        Path file = Files.writeString(tmp.resolve("f.txt"), "abc");

        assertThat(Stat.of(tmp.resolve("nope"), false)).isNull();
        assertThat(Stat.of(file, false).type()).isEqualTo(Stat.FILE);
        assertThat(Stat.of(file, false).size()).isEqualTo(3);
        assertThat(Stat.of(tmp, false).isDir()).isTrue();
    }
}
