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
        DaemonState state = new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, Instant.parse("2026-01-02T03:04:05Z"), 7,
                Instant.parse("2026-01-02T03:04:00Z"),
                List.of(Change.created(p("a")), new Change(p("d"), ChangeKind.DELETED, EntryType.DIR)), true,
                List.of(Change.modified(p("b"))), "{\"files\":3}",
                new DaemonState.RunSettings("window(50ms, maxBatch 10000)", BusyPolicy.RESTART, 32, null, "none"));
        store.save(state);
        assertThat(names()).containsExactlyInAnyOrder("state.json", "state.json.journal");
        DaemonState back = store.load().state();
        assertThat(back.pendingChanges()).isEqualTo(state.pendingChanges());
        assertThat(back.savedAt()).isEqualTo(state.savedAt());
        assertThat(back.tickCount()).isEqualTo(7);
        assertThat(back.pendingRescan()).isTrue();
        assertThat(back.source()).isEqualTo("{\"files\":3}");
        assertThat(back.settings()).isEqualTo(state.settings());
        assertThat(Files.readString(file())).contains("\"path\" : \"/w/a\"").contains("\"kind\" : \"created\"");
    }

    private static final String MARK = "{\"format\":\"reactive-watch-state\",";

    @Test
    void aFileOfOursWithMissingFieldsLoadsWithDefaults() throws Exception {
        Files.writeString(file(), MARK + "\"pendingChanges\":[{\"path\":\"/w/a\",\"kind\":\"deleted\",\"type\":\"file\"}]}");
        DaemonState state = StateStore.file(file()).load().state();
        assertThat(state.schemaVersion()).isZero();
        assertThat(state.pendingChanges()).containsExactly(Change.deleted(p("a")));
        assertThat(state.delivering()).isEmpty();
        assertThat(state.source()).isNull();
        assertThat(state.pendingRescan()).isFalse();
    }

    @Test
    void aSchemaOneFileWrittenBeforeTheMarkerExistedStillLoads() throws Exception {
        Files.writeString(file(), "{\"schemaVersion\":1,\"tickCount\":4,\"source\":{\"format\":1,\"trees\":[]},"
                + "\"pendingChanges\":[{\"path\":\"/w/a\",\"kind\":\"deleted\",\"type\":\"file\"}]}");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.refusal()).isNull();
        assertThat(loaded.state().tickCount()).isEqualTo(4);
        assertThat(loaded.state().source()).isEqualTo("{\"format\":1,\"trees\":[]}");
    }

    @Test
    void unknownFieldsAndRuntimeFlagsAreIgnored() throws Exception {
        Files.writeString(file(), MARK + "\"schemaVersion\":2,\"futureThing\":{\"x\":[1,2]},\"tickCount\":3,"
                + "\"pendingChanges\":[],\"tickInFlight\":true}");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.corrupt()).isFalse();
        assertThat(loaded.state().tickCount()).isEqualTo(3);
    }

    @Test
    void aFileOfOursFromANewerSchemaIsSetAsideWithAWarning() throws Exception {
        Files.writeString(file(), MARK + "\"schemaVersion\":999,\"pendingChanges\":[]}");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state()).isNull();
        assertThat(loaded.warning()).contains("newer version").contains("schema 999").contains("full rescan");
        assertThat(names()).hasSize(1).allMatch(n -> n.startsWith("state.json.corrupt-"));
    }

    @Test
    void aFileSetAsideIsAlsoOneWarningInTheLogSayingWhatTheLoadSays() throws Exception {
        Files.writeString(file(), MARK + "\"schemaVersion\":999,\"pendingChanges\":[]}");
        StateStore.Loaded loaded;
        try (CapturedLog log = CapturedLog.of(FileStateStore.class)) {
            loaded = StateStore.file(file()).load();
            assertThat(log.warnings()).containsExactly(loaded.warning());
        }
        assertThat(loaded.warning()).startsWith("state file " + file() + " is unusable (written by a newer version")
                .contains("moved to " + dir.resolve("state.json.corrupt-"));
    }

    @Test
    void theReasonInAWarningIsTheFirstLineOfTheMessageThatSaysSomething() {
        assertThat(FileStateStore.firstLine("Unexpected end-of-input\n at [Source: (byte[]); line: 1]"))
                .isEqualTo("Unexpected end-of-input");
        assertThat(FileStateStore.firstLine("\n  \r\nUnexpected character ('x')  \r\n at [Source]"))
                .as("blank lines before it are skipped, and the line is trimmed").isEqualTo("Unexpected character ('x')");
        assertThat(FileStateStore.firstLine("one line")).isEqualTo("one line");
        assertThat(FileStateStore.firstLine(null)).isEqualTo("unreadable");
        assertThat(FileStateStore.firstLine(" \n ")).isEqualTo("unreadable");
    }

    @Test
    void aTruncatedFileOfOursIsSetAsideWithAWarning() throws Exception {
        Files.writeString(file(), MARK + "\"schemaVersion\":2,\"pendingChanges\":[{\"path\":\"/w/a\"");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state()).isNull();
        assertThat(loaded.warning()).contains("unusable").contains("full rescan");
        assertThat(names()).hasSize(1).allMatch(n -> n.startsWith("state.json.corrupt-"));
    }

    @Test
    void aFileOfOursOfTheWrongShapeIsSetAside() throws Exception {
        Files.writeString(file(), MARK + "\"pendingChanges\":[{\"path\":\"/w/a\",\"kind\":\"renamed\",\"type\":\"file\"}]}");
        assertThat(StateStore.file(file()).load().corrupt()).isTrue();
    }

    @Test
    void aFileThatIsNotOursIsRefusedAndNeverMoved() throws Exception {
        for (String foreign : List.of("{}", "{\"schemaVersion\": 999}", "[1,2,3]", "my notes\nfor today\n",
                "{\"pendingChanges\":[{\"path\":\"/w/a\",\"kind\":\"deleted\",\"type\":\"file\"}]}")) {
            Files.writeString(file(), foreign);
            StateStore.Loaded loaded = StateStore.file(file()).load();
            assertThat(loaded.state()).as(foreign).isNull();
            assertThat(loaded.corrupt()).as(foreign).isFalse();
            assertThat(loaded.refusal()).as(foreign).contains(file().toString())
                    .contains("not a reactive-watch state file");
            assertThat(names()).containsExactly("state.json");
            assertThat(Files.readString(file())).isEqualTo(foreign);
        }
        Files.write(file(), new byte[] {0, 1, 2, (byte) 0xff, 'x'});
        assertThat(StateStore.file(file()).load().refusal()).contains("not a reactive-watch state file");
        assertThat(names()).containsExactly("state.json");
    }

    @Test
    void anEmptyFileIsNoState() throws Exception {
        Files.writeString(file(), "");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded).isEqualTo(StateStore.Loaded.none());
    }

    @Test
    void whatIsSavedStartsWithTheMarkerSoEvenATruncatedCopyIsRecognised() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, null, 0, null, List.of(), false,
                List.of(), null, null));
        assertThat(Files.readString(file())).startsWith("{\n  \"format\" : \"reactive-watch-state\"");
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
