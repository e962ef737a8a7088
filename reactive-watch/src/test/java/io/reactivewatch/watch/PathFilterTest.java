package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PathFilterTest {

    private static final Path ROOT = Path.of("/r");

    private static boolean accepts(PathFilter f, String rel, boolean dir) {
        Path p = ROOT.resolve(rel);
        return f.accepts(p, rel, p.getFileName().toString(), dir, GitIgnores.Chain.NONE);
    }

    @Test
    void ignoresVersionControlDirectoriesAndEditorLeftovers() {
        PathFilter f = PathFilter.none();
        for (String name : List.of(".a.txt.swp", "b.swo", ".c.swx", ".d.swn", "e~", ".#f", "#g#",
                "h___jb_tmp___", "i___jb_old___", ".j.kate-swp")) {
            assertThat(accepts(f, "x/" + name, false)).as(name).isFalse();
        }
        assertThat(accepts(f, ".git", true)).isFalse();
        assertThat(accepts(f, "sub/.git", false)).isFalse();
        for (String name : List.of("movie.swf", "a.txt", "4913", "4914", "#notes", ".gitignore", "swp")) {
            assertThat(accepts(f, "x/" + name, false)).as(name).isTrue();
        }
        assertThat(accepts(f, "4913", true)).isTrue();
    }

    @Test
    void syncCookieFilesAreNeverTrackedAtAnyDepthWhoeverWroteThem() {
        PathFilter f = PathFilter.none();
        for (String rel : List.of(".rwatch-cookie-1-1", "sub/.rwatch-cookie-4242-17", "a/b/.rwatch-cookie-9-0")) {
            assertThat(accepts(f, rel, false)).as(rel).isFalse();
        }
        for (String rel : List.of(".rwatch-cookie-1-1.txt", ".rwatch-cookie", "rwatch-cookie-1-1")) {
            assertThat(accepts(f, rel, false)).as(rel).isTrue();
        }
        assertThat(accepts(f, ".rwatch-cookie-1-1", true)).as("a directory of that name").isTrue();
    }

    @Test
    void excludeGlobsFollowGitignoreSyntaxRelativeToTheRoot() {
        PathFilter f = new PathFilter(List.of(), List.of("build/", "/out", "*.log", "docs/**/draft-*"), Set.of(),
                p -> false);
        assertThat(accepts(f, "build", true)).isFalse();
        assertThat(accepts(f, "sub/build", true)).isFalse();
        assertThat(accepts(f, "sub/build", false)).isTrue();
        assertThat(accepts(f, "out", true)).isFalse();
        assertThat(accepts(f, "sub/out", true)).isTrue();
        assertThat(accepts(f, "a/b/c.log", false)).isFalse();
        assertThat(accepts(f, "docs/x/y/draft-1.md", false)).isFalse();
        assertThat(accepts(f, "docs/final.md", false)).isTrue();
    }

    @Test
    void includeGlobsAndExtensionsNarrowFilesButNotDirectories() {
        PathFilter f = new PathFilter(List.of("src/**/*.java"), List.of(), Set.of(), p -> false);
        assertThat(accepts(f, "src/A.java", false)).isTrue();
        assertThat(accepts(f, "src/a/b/B.java", false)).isTrue();
        assertThat(accepts(f, "test/A.java", false)).isFalse();
        assertThat(accepts(f, "test", true)).isTrue();
        assertThat(f.reportsDirectories()).isFalse();

        PathFilter exts = new PathFilter(List.of(), List.of(), Set.of(".JAVA", "kt"), p -> false);
        assertThat(accepts(exts, "a/A.java", false)).isTrue();
        assertThat(accepts(exts, "a/B.kt", false)).isTrue();
        assertThat(accepts(exts, "a/c.md", false)).isFalse();
        assertThat(accepts(exts, "a/.java", false)).isFalse();
        assertThat(exts.reportsDirectories()).isFalse();
        assertThat(PathFilter.none().reportsDirectories()).isTrue();
    }

    @Test
    void thePathsTheStateStoreOwnsAreNeverTracked() {
        PathFilter f = new PathFilter(List.of(), List.of(), Set.of(), p -> p.getFileName().toString().startsWith("state"));
        assertThat(accepts(f, "state.json", false)).isFalse();
        assertThat(accepts(f, "other.json", false)).isTrue();
    }
}
