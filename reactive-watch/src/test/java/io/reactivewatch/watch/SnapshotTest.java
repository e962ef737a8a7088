package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SnapshotTest {

    static final Path ROOT = Path.of("/r");
    static final Stat DIR = new Stat(Stat.DIR, 4096, 1, 1, 0);

    static Stat file(long size) {
        return new Stat(Stat.FILE, size, 100, 7, 0);
    }

    static Snapshot tree() {
        Snapshot s = new Snapshot(ROOT, DIR);
        s.put(ROOT, DIR);
        s.put(ROOT.resolve("a.txt"), file(1));
        s.put(ROOT.resolve("src"), DIR);
        s.put(ROOT.resolve("src/A.java"), file(2));
        s.put(ROOT.resolve("src/pkg"), DIR);
        s.put(ROOT.resolve("src/pkg/B.java"), file(3));
        return s;
    }

    @Test
    void countsEveryPathUnderTheTop() {
        assertThat(tree().count()).isEqualTo(5);
    }

    @Test
    void removingADirectoryForgetsItsWholeSubtree() {
        Snapshot s = tree();
        s.remove(ROOT.resolve("src"));
        assertThat(s.get(ROOT.resolve("src"))).isNull();
        assertThat(s.node(ROOT.resolve("src/pkg"))).isNull();
        assertThat(s.count()).isEqualTo(1);
    }

    @Test
    void recordingAFileWhereADirectoryWasDropsTheDirectorysNodes() {
        Snapshot s = tree();
        s.put(ROOT.resolve("src"), file(9));
        assertThat(s.node(ROOT.resolve("src"))).isNull();
        assertThat(s.node(ROOT.resolve("src/pkg"))).isNull();
        assertThat(s.get(ROOT.resolve("src"))).isEqualTo(file(9));
    }

    @Test
    void aPathUnderAnUntrackedParentIsNotRecorded() {
        Snapshot s = tree();
        assertThat(s.put(ROOT.resolve("nowhere/x"), file(1))).isFalse();
        assertThat(s.get(ROOT.resolve("nowhere/x"))).isNull();
    }

    @Test
    void replaceSwapsInAFreshSubtree() {
        Snapshot s = tree();
        Snapshot fresh = new Snapshot(ROOT.resolve("src"), DIR);
        fresh.put(ROOT.resolve("src"), DIR);
        fresh.put(ROOT.resolve("src/C.java"), file(4));

        s.replace(fresh);

        assertThat(s.get(ROOT.resolve("src/C.java"))).isEqualTo(file(4));
        assertThat(s.get(ROOT.resolve("src/A.java"))).isNull();
        assertThat(s.node(ROOT.resolve("src/pkg"))).isNull();
        assertThat(s.count()).isEqualTo(3);
    }

    @Test
    void replaceWithAnUnreadableDirectoryKeepsWhatWasKnownUnderIt() {
        Snapshot s = tree();
        Snapshot fresh = new Snapshot(ROOT.resolve("src"), DIR);
        fresh.putNode(ROOT.resolve("src"), DirNode.unreadable());

        s.replace(fresh);

        assertThat(s.get(ROOT.resolve("src/pkg/B.java"))).isEqualTo(file(3));
        assertThat(s.count()).isEqualTo(5);
    }

    @Test
    void replaceWithAnAbsentSubtreeRemovesIt() {
        Snapshot s = tree();
        s.replace(Snapshot.absent(ROOT.resolve("src")));
        assertThat(s.get(ROOT.resolve("src"))).isNull();
        assertThat(s.count()).isEqualTo(1);
    }

    @Test
    void aViewSharesTheSubtreeOnly() {
        TreeView view = tree().view(ROOT.resolve("src"));
        assertThat(view.topStat()).isEqualTo(DIR);
        assertThat(view.count()).isEqualTo(3);
        assertThat(view.get(ROOT.resolve("src/pkg/B.java"))).isEqualTo(file(3));
        assertThat(view.get(ROOT.resolve("a.txt"))).isNull();
        assertThat(view.dirs()).containsExactlyInAnyOrder(ROOT.resolve("src"), ROOT.resolve("src/pkg"));
    }

    @Test
    void aViewIsReadOnlyAndRestoreUndoesAReplace() {
        Snapshot s = tree();
        Snapshot.Subtree before = s.view(ROOT.resolve("src"));
        assertThatThrownBy(() -> before.dirs().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.dirs().clear()).isInstanceOf(UnsupportedOperationException.class);
        Snapshot fresh = new Snapshot(ROOT.resolve("src"), DIR);
        fresh.put(ROOT.resolve("src"), DIR);
        fresh.put(ROOT.resolve("src/C.java"), file(4));

        s.replace(fresh);
        assertThat(before.get(ROOT.resolve("src/A.java"))).as("the view still sees what it saw").isEqualTo(file(2));
        s.restore(before);

        assertThat(SnapshotDiff.diff(tree(), s)).isEmpty();
        assertThat(s.count()).isEqualTo(5);
    }
}
