package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RootsTest {

    private final Path outer = Path.of("/w/project");
    private final Path inner = Path.of("/w/project/vendor/lib");
    private final Roots roots = new Roots(List.of(outer, inner));

    @Test
    void aPathIsWrittenRelativeToItsRootWithSlashes() {
        Path p = outer.resolve("src").resolve("main").resolve("A.java");
        assertThat(roots.rootOf(p)).isEqualTo(outer);
        assertThat(roots.relative(p)).isEqualTo("src/main/A.java");
    }

    @Test
    void theInnermostOfNestedRootsHoldsThePath() {
        Path p = inner.resolve("x.c");
        assertThat(roots.rootOf(p)).isEqualTo(inner);
        assertThat(roots.relative(p)).isEqualTo("x.c");
    }

    @Test
    void aRootItselfIsTheEmptyRelativePath() {
        assertThat(roots.relative(outer)).isEmpty();
    }

    @Test
    void aPathOutsideEveryRootIsRelativeToTheFileSystemRoot() {
        Path p = Path.of("/elsewhere/f");
        assertThat(roots.rootOf(p)).isEqualTo(Path.of("/"));
        assertThat(roots.relative(p)).isEqualTo("elsewhere/f");
    }

    @Test
    void aSiblingWithACommonNamePrefixIsNotInsideTheRoot() {
        Path p = Path.of("/w/project-old/f");
        assertThat(roots.rootOf(p)).isEqualTo(Path.of("/"));
    }

    @Test
    void withOneRootALabelIsTheRelativePathAndTheRootItsWholePath() {
        Roots one = new Roots(List.of(outer));
        assertThat(one.label(outer.resolve("a/b.txt"))).isEqualTo("a/b.txt");
        assertThat(one.label(outer)).isEqualTo("/w/project");
    }

    @Test
    void withSeveralRootsALabelSaysWhichRootHoldsThePath() {
        Roots two = new Roots(List.of(Path.of("/w/src"), Path.of("/w/docs")));
        assertThat(two.label(Path.of("/w/src/A.java"))).isEqualTo("src/A.java");
        assertThat(two.label(Path.of("/w/docs/A.java"))).isEqualTo("docs/A.java");
        assertThat(two.label(Path.of("/w/docs"))).isEqualTo("docs");
    }

    @Test
    void rootsThatShareANameAreLabelledByTheirWholePath() {
        Roots two = new Roots(List.of(Path.of("/a/src"), Path.of("/b/src"), Path.of("/b/docs")));
        assertThat(two.label(Path.of("/a/src/x"))).isEqualTo("/a/src/x");
        assertThat(two.label(Path.of("/b/src/x"))).isEqualTo("/b/src/x");
        assertThat(two.label(Path.of("/b/docs/x"))).isEqualTo("docs/x");
        assertThat(roots.label(inner.resolve("x.c"))).as("nested roots").isEqualTo("lib/x.c");
    }

    @Test
    void keepsTheRootsInTheirGivenOrder() {
        assertThat(roots.all()).containsExactly(outer, inner);
    }
}
