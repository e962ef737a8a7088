package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.SourceContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain library user (no SLF4J provider on the class path, as in this module's tests) sees nothing on
 * stderr from JGit's SLF4J when filters and ignore rules are built; a choice of their own is kept.
 */
class QuietSlf4jTest {

    @TempDir
    Path tmp;

    /** What a user's program does: a source with globs and .gitignore rules, opened once. */
    public static void main(String[] args) {
        FileSource source = FileSource.builder().root(Path.of(args[0])).include("**/*.txt").exclude("build/**")
                .vcsIgnore(true).build();
        source.open(SourceContext.none());
        source.close();
        System.out.println("opened; slf4j.provider=" + System.getProperty(QuietSlf4j.PROPERTY));
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... jvmOptions) throws IOException, InterruptedException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(root.resolve(".gitignore"), "*.log\n");
        Files.writeString(root.resolve("a.txt"), "a");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), QuietSlf4jTest.class.getName(), root.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile())
                .redirectError(tmp.resolve("err").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void withoutAProviderJGitPrintsNothing() throws Exception {
        Run r = run();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("opened").contains(QuietSlf4j.NOP);
        assertThat(r.err()).doesNotContain("SLF4J");
    }

    @Test
    void aProviderTheUserChoseIsKept() throws Exception {
        Run r = run("-D" + QuietSlf4j.PROPERTY + "=com.example.TheirProvider");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("slf4j.provider=com.example.TheirProvider");
    }
}
