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
    void keepsTheRootsInTheirGivenOrder() {
        assertThat(roots.all()).containsExactly(outer, inner);
    }
}
