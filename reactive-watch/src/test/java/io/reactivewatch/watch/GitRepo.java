package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.fail;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real git in a temporary repository, run as a process that is waited for: identity, no signing, no hooks and
 * no user or system configuration, so the tests see git's own behaviour.
 */
final class GitRepo {

    private static final long TIMEOUT_SECONDS = 120;

    final Path dir;

    private GitRepo(Path dir) {
        this.dir = dir;
    }

    /** A new repository in {@code dir} (created if missing), on branch {@code main}. */
    static GitRepo init(Path dir) throws IOException {
        Files.createDirectories(dir);
        GitRepo repo = new GitRepo(dir.toRealPath());
        repo.git("init", "-q", "-b", "main");
        return repo;
    }

    /** A repository that exists already (a linked worktree, say). */
    static GitRepo at(Path dir) throws IOException {
        return new GitRepo(dir.toRealPath());
    }

    /** The result of one git run. */
    record Result(int exitCode, String out) {
    }

    /** Runs git and fails the test unless it exits 0. */
    String git(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            fail("git " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.out());
        }
        return r.out();
    }

    /** Runs git and returns its exit code and output (stdout and stderr together). */
    Result run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git",
                "-c", "user.name=reactive-watch", "-c", "user.email=dev@reactive-watch.invalid",
                "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", "-c", "advice.detachedHead=false",
                "-c", "core.fsmonitor=false"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_EDITOR", "true");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("LC_ALL", "C");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("git " + String.join(" ", args) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running git", e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stages everything and commits it. */
    void commitAll(String message) {
        git("add", "-A");
        git("commit", "-q", "--no-verify", "-m", message);
    }

    Path file(String relative) {
        return dir.resolve(relative);
    }

    Path write(String relative, String content) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, content);
    }

    /** The git directory: {@code .git}, or where a linked worktree's {@code .git} file points. */
    Path gitDir() {
        return Path.of(git("rev-parse", "--absolute-git-dir").strip());
    }

    /**
     * {@code git diff --name-status --no-renames from to} as the changes a watcher reports for the working
     * tree going from one to the other: A created, M modified, D deleted (files only; git does not track
     * directories).
     */
    Set<Change> diff(String from, String to) {
        Set<Change> out = new HashSet<>();
        for (String line : git("diff", "--name-status", "--no-renames", from, to).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            ChangeKind kind = switch (parts[0]) {
                case "A" -> ChangeKind.CREATED;
                case "M", "T" -> ChangeKind.MODIFIED;
                case "D" -> ChangeKind.DELETED;
                default -> throw new IllegalStateException("unexpected diff line: " + line);
            };
            out.add(new Change(dir.resolve(parts[1]), kind, EntryType.FILE));
        }
        return out;
    }

    /** The commit a name points at. */
    String revParse(String name) {
        return git("rev-parse", name).strip();
    }
}
