package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ignore files, read on the test thread; matching itself is JGit's. */
class GitIgnoresTest {

    @TempDir
    Path tmp;

    private final GitIgnores git = new GitIgnores();
    private Path root;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("repo");
        Files.createDirectories(root.resolve("sub/deeper"));
        Files.createDirectories(root.resolve(".git/info"));
    }

    private boolean ignored(String rel, boolean dir) {
        Path p = root.resolve(rel);
        return git.chain(p.getParent()).ignored(p.getFileName().toString(), dir);
    }

    private void load() {
        git.load(root);
        git.load(root.resolve("sub"));
        git.load(root.resolve("sub/deeper"));
    }

    @Test
    void theDeepestMatchingFileDecidesSoANestedNegationReincludes() throws IOException {
        Files.writeString(root.resolve(".gitignore"), "*.log\n");
        Files.writeString(root.resolve("sub/.gitignore"), "!keep.log\n");
        load();
        assertThat(ignored("a.log", false)).isTrue();
        assertThat(ignored("sub/b.log", false)).isTrue();
        assertThat(ignored("sub/keep.log", false)).isFalse();
        assertThat(ignored("sub/deeper/keep.log", false)).isFalse();
        assertThat(ignored("keep.log", false)).isTrue();
    }

    @Test
    void negationInTheSameFileFollowsTheLastMatchingRule() throws IOException {
        Files.writeString(root.resolve(".gitignore"), "*.txt\n!important.txt\n");
        load();
        assertThat(ignored("notes.txt", false)).isTrue();
        assertThat(ignored("important.txt", false)).isFalse();
        assertThat(ignored("sub/important.txt", false)).isFalse();
    }

    @Test
    void directoryOnlyRulesSkipFilesOfTheSameName() throws IOException {
        Files.writeString(root.resolve(".gitignore"), "build/\n");
        load();
        assertThat(ignored("build", true)).isTrue();
        assertThat(ignored("sub/build", true)).isTrue();
        assertThat(ignored("build", false)).isFalse();
    }

    @Test
    void anchoredRulesMatchOnlyRelativeToTheirFile() throws IOException {
        Files.writeString(root.resolve("sub/.gitignore"), "/gen\ndeeper/*.tmp\n");
        load();
        assertThat(ignored("sub/gen", true)).isTrue();
        assertThat(ignored("sub/deeper/gen", true)).isFalse();
        assertThat(ignored("gen", true)).isFalse();
        assertThat(ignored("sub/deeper/x.tmp", false)).isTrue();
    }

    @Test
    void infoExcludeAppliesBelowEveryGitignore() throws IOException {
        Files.writeString(root.resolve(".git/info/exclude"), "*.secret\nlocal.txt\n");
        Files.writeString(root.resolve("sub/.gitignore"), "!local.txt\n");
        load();
        assertThat(ignored("a.secret", false)).isTrue();
        assertThat(ignored("sub/deeper/b.secret", false)).isTrue();
        assertThat(ignored("local.txt", false)).isTrue();
        assertThat(ignored("sub/local.txt", false)).isFalse();
    }

    @Test
    void aRootInsideARepositoryObeysTheIgnoreFilesAboveIt() throws IOException {
        Files.writeString(root.resolve(".gitignore"), "*.o\n");
        Files.writeString(root.resolve("sub/.gitignore"), "*.a\n");
        git.loadAbove(root.resolve("sub/deeper"));
        assertThat(ignored("sub/deeper/x.o", false)).isTrue();
        assertThat(ignored("sub/deeper/x.a", false)).isTrue();
        assertThat(ignored("sub/deeper/x.c", false)).isFalse();
    }

    @Test
    void reloadingAfterTheFileIsGoneDropsItsRules() throws IOException {
        Path file = Files.writeString(root.resolve(".gitignore"), "*.log\n");
        load();
        assertThat(ignored("a.log", false)).isTrue();
        Files.delete(file);
        git.load(root);
        assertThat(ignored("a.log", false)).isFalse();
        assertThat(git.isEmpty()).isTrue();
    }
}
