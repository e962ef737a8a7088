package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WatchEngineTest {

    private final Path root = Path.of("/w/p");

    @Test
    void anOwnFileUnderARootIsExcludedByAGlobAnchoredAtTheRoot() {
        assertThat(WatchEngine.anchoredGlob(root, root.resolve("logs/events.jsonl"))).isEqualTo("/logs/events.jsonl");
    }

    @Test
    void globCharactersInTheNameAreEscaped() {
        assertThat(WatchEngine.anchoredGlob(root, root.resolve("a[1]*?.txt"))).isEqualTo("/a\\[1\\]\\*\\?.txt");
    }

    @Test
    void aFileOutsideTheRootOrTheRootItselfNeedsNoGlob() {
        assertThat(WatchEngine.anchoredGlob(root, Path.of("/tmp/rwatch-1"))).isNull();
        assertThat(WatchEngine.anchoredGlob(root, Path.of("/w/p2/x"))).isNull();
        assertThat(WatchEngine.anchoredGlob(root, root)).isNull();
    }
}
