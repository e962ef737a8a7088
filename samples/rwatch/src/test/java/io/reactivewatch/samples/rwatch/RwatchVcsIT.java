package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The jar watching a real git repository: a rebase stopped on a conflict holds the ticks until it ends. */
class RwatchVcsIT {

    @TempDir
    Path tmp;

    @Test
    void aRebaseStoppedOnAConflictIsOneHeldLineThenOneTickWhenItEnds() throws Exception {
        Path repo = divergedOnConflict();
        git(repo, 0, "checkout", "-q", "feature");
        try (RwatchProcess rw = RwatchProcess.start(repo, "--postpone", "--events-json", "-")) {
            rw.awaitType("ready");

            git(repo, 1, "rebase", "main");
            JsonNode held = rw.awaitType("held");
            assertThat(held.get("reason").asString()).isEqualTo("git rebase in progress");
            rw.awaitStderr("rwatch: held: git rebase in progress");
            assertThat(rw.lines("tick")).as("ticks while the rebase is stopped").isEmpty();
            git(repo, 0, "rebase", "--abort");
            rw.awaitTick(1);
            Files.writeString(repo.resolve("sentinel.txt"), "after");
            rw.awaitTick(2);
            rw.stopGracefully();

            assertThat(rw.lines("held")).hasSize(1);
            assertThat(RwatchProcess.paths(rw.lines("tick").get(1))).containsExactly("sentinel.txt");
            assertThat(rw.stderr().split("rwatch: held: ", -1)).as("one held line").hasSize(2);
        }
    }

    @Test
    void withNoDeferVcsAMergeStoppedOnAConflictTicksAtOnce() throws Exception {
        Path repo = divergedOnConflict();
        try (RwatchProcess rw = RwatchProcess.start(repo, "--postpone", "--no-defer-vcs", "--events-json", "-")) {
            rw.awaitType("ready");

            git(repo, 1, "merge", "feature");
            JsonNode tick = rw.awaitTick(1);
            rw.stopGracefully();

            assertThat(Files.exists(repo.resolve(".git/MERGE_HEAD"))).as("still merging").isTrue();
            assertThat(RwatchProcess.paths(tick)).contains("c.txt");
            assertThat(rw.lines("held")).isEmpty();
        }
    }

    /** {@code main} and {@code feature} change {@code c.txt} apart from a common base; {@code main} is checked out. */
    private Path divergedOnConflict() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo")).toRealPath();
        git(repo, 0, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("c.txt"), "base\n");
        Files.writeString(repo.resolve("a.txt"), "a\n");
        commitAll(repo, "base");
        git(repo, 0, "checkout", "-q", "-b", "feature");
        Files.writeString(repo.resolve("c.txt"), "feature\n");
        Files.writeString(repo.resolve("f.txt"), "f\n");
        commitAll(repo, "feature");
        git(repo, 0, "checkout", "-q", "main");
        Files.writeString(repo.resolve("c.txt"), "main\n");
        commitAll(repo, "main");
        return repo;
    }

    private static void commitAll(Path repo, String message) {
        git(repo, 0, "add", "-A");
        git(repo, 0, "commit", "-q", "-m", message);
    }

    /** Runs git in {@code repo}, waits for it, and checks its exit status (0, or 1 for a stopped operation). */
    private static void git(Path repo, int expectedExit, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=reactive-watch",
                "-c", "user.email=dev@reactive-watch.invalid", "-c", "commit.gpgsign=false",
                "-c", "core.hooksPath=/dev/null"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_EDITOR", "true");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("git " + String.join(" ", args) + " ended").isTrue();
            assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), new String(out, StandardCharsets.UTF_8))
                    .isEqualTo(expectedExit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
