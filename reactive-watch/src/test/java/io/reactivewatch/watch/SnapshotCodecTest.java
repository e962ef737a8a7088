package io.reactivewatch.watch;

import static io.reactivewatch.watch.SnapshotTest.ROOT;
import static io.reactivewatch.watch.SnapshotTest.file;
import static io.reactivewatch.watch.SnapshotTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SnapshotCodecTest {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void aSnapshotSurvivesARoundTripThroughJsonText() {
        Snapshot original = tree();
        original.put(ROOT.resolve("src/pkg/B.java"), file(3).withHash(-5));
        original.put(ROOT.resolve("link"), new Stat(Stat.LINK, 3, 9, 10, 0));

        String text = SnapshotCodec.encode(List.of(original));
        Map<Path, Snapshot> decoded = SnapshotCodec.decode(text);

        Snapshot back = decoded.get(ROOT);
        assertThat(SnapshotDiff.diff(original, back)).isEmpty();
        assertThat(SnapshotDiff.diff(back, original)).isEmpty();
        assertThat(back.get(ROOT.resolve("src/pkg/B.java")).hash()).isEqualTo(-5);
        assertThat(back.get(ROOT.resolve("link")).type()).isEqualTo(Stat.LINK);
        assertThat(back.count()).isEqualTo(original.count());
    }

    @Test
    void aTreeThatIsOneFileKeepsTheFilesWholeStat() {
        Path bashrc = ROOT.resolve(".bashrc");
        Snapshot original = new Snapshot(bashrc, file(7).withHash(42));

        Snapshot back = SnapshotCodec.decode(SnapshotCodec.encode(List.of(original))).get(bashrc);

        assertThat(back.topStat()).isEqualTo(original.topStat());
        assertThat(back.dirs()).isEmpty();
    }

    @Test
    void anAbsentTreeStaysAbsent() {
        String json = SnapshotCodec.encode(List.of(Snapshot.absent(ROOT)));
        assertThat(SnapshotCodec.decode(json).get(ROOT).present()).isFalse();
    }

    @Test
    void writesTheVersionedLayoutThatStateFilesOfSchemaOneKeptAsATree() {
        Snapshot original = tree();
        JsonNode written = MAPPER.readTree(SnapshotCodec.encode(List.of(original)));
        assertThat(written.path("format").asInt()).isEqualTo(SnapshotCodec.FORMAT);
        assertThat(written.path("trees").get(0).path("top").asString()).isEqualTo(ROOT.toString());

        // Schema 1 stored the section as a JSON object; the core hands it over as that object's text.
        String schemaOne = MAPPER.writeValueAsString(written);
        assertThat(SnapshotDiff.diff(original, SnapshotCodec.decode(schemaOne).get(ROOT))).isEmpty();
    }

    @Test
    void refusesASectionInAnotherFormat() {
        assertThatThrownBy(() -> SnapshotCodec.decode("{\"format\":99,\"trees\":[]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnapshotCodec.decode(
                "{\"format\":1,\"trees\":[{\"top\":\"/r\",\"dirs\":[{\"dir\":\"\",\"names\":[\"a\"],\"types\":\"\"}]}]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnapshotCodec.decode("not json {")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SnapshotCodec.decode("")).isInstanceOf(IllegalArgumentException.class);
    }
}
