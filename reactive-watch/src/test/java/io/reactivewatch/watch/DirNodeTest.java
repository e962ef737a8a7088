package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirNodeTest {

    private static Stat file(long size) {
        return new Stat(Stat.FILE, size, 1_000_000_001L, 42, 0);
    }

    private static List<String> names(DirNode node) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(node.name(i));
        }
        return out;
    }

    @Test
    void keepsNamesSortedWhateverTheInsertionOrder() {
        DirNode node = new DirNode();
        for (String n : List.of("m", "b", "z", "a", "q", "c")) {
            node.put(n, file(n.charAt(0)));
        }
        assertThat(names(node)).containsExactly("a", "b", "c", "m", "q", "z");
        assertThat(node.get("q")).isEqualTo(file('q'));
        assertThat(node.get("nope")).isNull();
    }

    @Test
    void putReplacesTheStatOfAKnownName() {
        DirNode node = new DirNode();
        node.put("a", file(1));
        node.put("a", file(2));
        assertThat(node.size()).isEqualTo(1);
        assertThat(node.get("a").size()).isEqualTo(2);
    }

    @Test
    void removeClosesTheGapAndKeepsTheOtherStats() {
        DirNode node = new DirNode();
        for (int i = 0; i < 10; i++) {
            node.put("f" + i, file(i));
        }
        assertThat(node.remove("f3")).isTrue();
        assertThat(node.remove("f3")).isFalse();
        assertThat(names(node)).containsExactly("f0", "f1", "f2", "f4", "f5", "f6", "f7", "f8", "f9");
        assertThat(node.get("f4")).isEqualTo(file(4));
        assertThat(node.get("f9")).isEqualTo(file(9));
    }

    @Test
    void appendRefusesANameOutOfOrder() {
        DirNode node = new DirNode();
        node.append("a", file(1));
        node.append("b", file(2));
        assertThatThrownBy(() -> node.append("b", file(3))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> node.append("a0", file(3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsContentHashesOnlyOnceOneIsKnownAndAcrossShifts() {
        DirNode node = new DirNode();
        node.put("b", file(1));
        node.put("d", file(2).withHash(77));
        node.put("a", file(3));
        node.put("c", file(4).withHash(88));
        node.trim();
        assertThat(node.get("b").hash()).isZero();
        assertThat(node.get("d").hash()).isEqualTo(77);
        assertThat(node.get("c").hash()).isEqualTo(88);
        node.remove("a");
        assertThat(node.get("d").hash()).isEqualTo(77);
    }
}
