package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state.json");
    }

    private List<String> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aMissingFileIsNoStateAndNoWarning() {
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.stateIfPresent()).isEmpty();
        assertThat(loaded.corrupt()).isFalse();
    }

    @Test
    void whatIsSavedLoadsBackAndNoTemporaryFileIsLeft() throws Exception {
        StateStore store = StateStore.file(file());
        DaemonState state = new DaemonState(DaemonState.SCHEMA_VERSION, Instant.parse("2026-01-02T03:04:05Z"), 7,
                Instant.parse("2026-01-02T03:04:00Z"),
                List.of(Change.created(p("a")), new Change(p("d"), ChangeKind.DELETED, EntryType.DIR)), true,
                "{\"files\":3}",
                new DaemonState.RunSettings("window(50ms, maxBatch 10000)", BusyPolicy.RESTART, 32, null, "none"));
        store.save(state);
        assertThat(names()).containsExactly("state.json");
        DaemonState back = store.load().state();
        assertThat(back.pendingChanges()).isEqualTo(state.pendingChanges());
        assertThat(back.savedAt()).isEqualTo(state.savedAt());
        assertThat(back.tickCount()).isEqualTo(7);
        assertThat(back.pendingRescan()).isTrue();
        assertThat(back.source()).isEqualTo("{\"files\":3}");
        assertThat(back.settings()).isEqualTo(state.settings());
        assertThat(Files.readString(file())).contains("\"path\" : \"/w/a\"").contains("\"kind\" : \"created\"");
    }

    @Test
    void aFileFromAnOlderSchemaWithMissingFieldsLoadsWithDefaults() throws Exception {
        Files.writeString(file(), "{\"pendingChanges\":[{\"path\":\"/w/a\",\"kind\":\"deleted\",\"type\":\"file\"}]}");
        DaemonState state = StateStore.file(file()).load().state();
        assertThat(state.schemaVersion()).isZero();
        assertThat(state.pendingChanges()).containsExactly(Change.deleted(p("a")));
        assertThat(state.source()).isNull();
        assertThat(state.pendingRescan()).isFalse();
    }

    @Test
    void aFileFromANewerSchemaWithUnknownFieldsLoads() throws Exception {
        Files.writeString(file(), "{\"schemaVersion\":9,\"futureThing\":{\"x\":[1,2]},\"tickCount\":3,"
                + "\"pendingChanges\":[],\"tickInFlight\":true}");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.corrupt()).isFalse();
        assertThat(loaded.state().schemaVersion()).isEqualTo(9);
        assertThat(loaded.state().tickCount()).isEqualTo(3);
    }

    @Test
    void aTruncatedFileIsSetAsideWithAWarning() throws Exception {
        Files.writeString(file(), "{\"schemaVersion\":1,\"pendingChanges\":[{\"path\":\"/w/a\"");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state()).isNull();
        assertThat(loaded.warning()).contains("corrupt").contains("full rescan");
        assertThat(names()).hasSize(1).allMatch(n -> n.startsWith("state.json.corrupt-"));
    }

    @Test
    void garbageIsSetAsideWithAWarning() throws Exception {
        Files.write(file(), new byte[] {0, 1, 2, (byte) 0xff, 'x'});
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.corrupt()).isTrue();
        assertThat(names()).hasSize(1).allMatch(n -> n.startsWith("state.json.corrupt-"));
    }

    @Test
    void aWellFormedDocumentOfTheWrongShapeIsSetAside() throws Exception {
        Files.writeString(file(), "[1,2,3]");
        assertThat(StateStore.file(file()).load().corrupt()).isTrue();
        Files.writeString(file(), "{\"pendingChanges\":[{\"path\":\"/w/a\",\"kind\":\"renamed\",\"type\":\"file\"}]}");
        assertThat(StateStore.file(file()).load().corrupt()).isTrue();
    }

    @Test
    void theStoreOwnsItsFileItsTemporariesAndSetAsideCopiesOnly() {
        StateStore store = StateStore.file(file());
        assertThat(store.owns(file())).isTrue();
        assertThat(store.owns(dir.resolve(".state.json.12345.tmp"))).isTrue();
        assertThat(store.owns(dir.resolve("state.json.corrupt-17"))).isTrue();
        assertThat(store.owns(dir.resolve("state.jsonx"))).isFalse();
        assertThat(store.owns(dir.resolve("sub/state.json"))).isFalse();
    }
}
