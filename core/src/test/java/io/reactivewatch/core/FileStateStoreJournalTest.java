package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal after the snapshot: what is appended loads back, torn tails are dropped, corruption is not. */
class FileStateStoreJournalTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("state.json");
    }

    private Path journal() {
        return dir.resolve("state.json.journal");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static DaemonState state(long tick, List<Change> pending, List<Change> delivering, String section) {
        return new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, Instant.ofEpochMilli(tick * 1000),
                tick, null, pending, false, delivering, section, null);
    }

    @Test
    void recordsAppendedAfterASaveLoadBackAsTheLastStateAndTheSourceChangesInOrder() throws Exception {
        StateStore store = StateStore.file(file());
        assertThat(store.appends()).isTrue();
        store.save(state(1, List.of(), List.of(), "base"));
        store.append(state(2, List.of(Change.created(p("b"))), List.of(Change.created(p("a"))), "ignored"), "+a");
        store.append(state(3, List.of(), List.of(Change.created(p("b"))), null), "");
        store.append(state(4, List.of(), List.of(Change.deleted(p("a"))), null), "-a");

        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.warning()).isNull();
        assertThat(loaded.refusal()).isNull();
        DaemonState back = loaded.state();
        assertThat(back.tickCount()).isEqualTo(4);
        assertThat(back.delivering()).containsExactly(Change.deleted(p("a")));
        assertThat(back.pendingChanges()).isEmpty();
        assertThat(back.source()).as("the section is the saved one; records never replace it").isEqualTo("base");
        assertThat(loaded.sourceChanges()).as("empty changes are left out").containsExactly("+a", "-a");
    }

    @Test
    void aSaveStartsANewJournalSoRecordsBeforeItAreNotReplayedTwice() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "base"));
        store.append(state(2, List.of(), List.of(), null), "+a");
        store.save(state(3, List.of(), List.of(), "base+a"));

        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state().tickCount()).isEqualTo(3);
        assertThat(loaded.state().source()).isEqualTo("base+a");
        assertThat(loaded.sourceChanges()).isEmpty();
    }

    @Test
    void aJournalLeftFromBeforeTheLatestSnapshotIsIgnored() throws Exception {
        // A crash between the snapshot's rename and the new journal's leaves the old journal in place.
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "base"));
        store.append(state(2, List.of(), List.of(), null), "+a");
        Path old = dir.resolve("old-journal");
        Files.copy(journal(), old);
        store.save(state(3, List.of(), List.of(), "base+a"));
        Files.move(old, journal(), StandardCopyOption.REPLACE_EXISTING);

        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state().tickCount()).isEqualTo(3);
        assertThat(loaded.sourceChanges()).isEmpty();
    }

    @Test
    void aRecordTornAtAnyByteIsDroppedAndTheStateBeforeItLoads() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "base"));
        store.append(state(2, List.of(), List.of(Change.created(p("a"))), null), "+a");
        long good = Files.size(journal());
        store.append(state(3, List.of(Change.modified(p("c"))), List.of(Change.created(p("b"))), null), "+b");
        byte[] whole = Files.readAllBytes(journal());
        for (int cut = (int) good; cut < whole.length; cut++) {
            byte[] torn = java.util.Arrays.copyOf(whole, cut);
            Files.write(journal(), torn);
            StateStore.Loaded loaded = StateStore.file(file()).load();
            assertThat(loaded.warning()).as("cut at %d", cut).isNull();
            assertThat(loaded.state().tickCount()).as("cut at %d", cut).isEqualTo(2);
            assertThat(loaded.sourceChanges()).as("cut at %d", cut).containsExactly("+a");
        }
        Files.write(journal(), whole);
        assertThat(StateStore.file(file()).load().state().tickCount()).isEqualTo(3);
    }

    @Test
    void aDamagedLastRecordIsDroppedLikeATornOne() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "base"));
        store.append(state(2, List.of(), List.of(), null), "+a");
        store.append(state(3, List.of(), List.of(), null), "+b");
        byte[] bytes = Files.readAllBytes(journal());
        bytes[bytes.length - 5] ^= 0x01; // inside the last record, newline intact
        Files.write(journal(), bytes);

        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.warning()).isNull();
        assertThat(loaded.state().tickCount()).isEqualTo(2);
        assertThat(loaded.sourceChanges()).containsExactly("+a");
    }

    @Test
    void aDamagedRecordWithGoodOnesAfterItIsCorruptionAndBothFilesAreSetAside() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "base"));
        store.append(state(2, List.of(), List.of(), null), "+a");
        store.append(state(3, List.of(), List.of(), null), "+b");
        List<String> lines = new ArrayList<>(Files.readAllLines(journal(), StandardCharsets.UTF_8));
        lines.set(1, lines.get(1).replace("+a", "+z")); // the checksum no longer matches
        Files.write(journal(), lines, StandardCharsets.UTF_8);

        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state()).isNull();
        assertThat(loaded.corrupt()).isTrue();
        assertThat(loaded.warning()).contains("journal record 1 is corrupt").contains("full rescan");
        assertThat(names()).hasSize(2).anyMatch(n -> n.startsWith("state.json.corrupt-"))
                .anyMatch(n -> n.startsWith("state.json.journal.corrupt-"));
    }

    @Test
    void aJournalThatIsNotOursIsRefusedAndNothingIsMoved() throws Exception {
        StateStore.file(file()).save(state(1, List.of(), List.of(), "base"));
        Files.writeString(journal(), "my notes\nmore notes\n");

        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.refusal()).contains(journal().toString()).contains("not a reactive-watch journal");
        assertThat(names()).containsExactly("state.json", "state.json.journal");
        assertThat(Files.readString(journal())).isEqualTo("my notes\nmore notes\n");
    }

    @Test
    void aMissingJournalMeansNothingWasAppended() throws Exception {
        StateStore.file(file()).save(state(5, List.of(), List.of(), "base"));
        Files.delete(journal());
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state().tickCount()).isEqualTo(5);
        assertThat(loaded.sourceChanges()).isEmpty();
    }

    @Test
    void appendingBeforeASaveOrAfterAFailedAppendThrowsUntilTheNextSave() throws Exception {
        StateStore store = StateStore.file(file());
        assertThatThrownBy(() -> store.append(state(1, List.of(), List.of(), null), "+a"))
                .isInstanceOf(IOException.class).hasMessageContaining("no snapshot");
        store.save(state(1, List.of(), List.of(), "base"));
        Files.delete(journal()); // the write fails: the journal went away under the store
        assertThatThrownBy(() -> store.append(state(2, List.of(), List.of(), null), "+a"))
                .isInstanceOf(IOException.class);
        Files.writeString(journal(), "");
        assertThatThrownBy(() -> store.append(state(3, List.of(), List.of(), null), "+b"))
                .as("after a failure part of a record may be on disk: nothing may follow it")
                .isInstanceOf(IOException.class).hasMessageContaining("no snapshot");
        store.save(state(4, List.of(), List.of(), "base+a+b"));
        store.append(state(5, List.of(), List.of(), null), "+c");
        StateStore.Loaded loaded = StateStore.file(file()).load();
        assertThat(loaded.state().tickCount()).isEqualTo(5);
        assertThat(loaded.state().source()).isEqualTo("base+a+b");
        assertThat(loaded.sourceChanges()).containsExactly("+c");
    }

    @Test
    void aWriteThatFailsNamesTheStateFileTheUserChoseAndKeepsWhatFailedUnderIt() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "base"));
        Files.delete(journal());
        assertThatThrownBy(() -> store.append(state(2, List.of(), List.of(), null), "+a"))
                .isInstanceOf(StateWriteException.class)
                .hasMessage(file() + ": NoSuchFileException: " + journal())
                .hasCauseInstanceOf(java.nio.file.NoSuchFileException.class)
                .satisfies(e -> assertThat(((StateWriteException) e).file()).isEqualTo(file()))
                .satisfies(e -> assertThat(((StateWriteException) e).reason()).isEqualTo("NoSuchFileException: " + journal()));
        // A directory where the journal goes: the rename over it fails.
        Files.createDirectories(journal().resolve("x"));
        assertThatThrownBy(() -> store.save(state(3, List.of(), List.of(), "base+a")))
                .isInstanceOf(StateWriteException.class)
                .hasMessageStartingWith(file() + ": FileSystemException: ")
                .hasMessageEndingWith(journal() + ": Is a directory");
    }

    @Test
    void theStoreAsksToCompactOnceTheJournalOutgrowsTheSnapshot() throws Exception {
        StateStore store = StateStore.file(file());
        String bigSection = "x".repeat(400_000);
        store.save(state(1, List.of(), List.of(), bigSection));
        long snapshot = Files.size(file());
        String change = "y".repeat(10_000);
        long header = Files.size(journal());
        int appended = 0;
        boolean asked = false;
        long limit = Math.max(FileStateStore.MIN_COMPACT_BYTES, snapshot);
        while (!asked) {
            // Big records until close to the limit, then records shorter than the header, so that the append
            // that crosses the limit is told apart from its neighbours to the byte.
            boolean near = Files.size(journal()) - header > limit - 20_000;
            asked = store.append(state(2 + appended, List.of(), List.of(), null), near ? "" : change);
            appended++;
            boolean outgrown = Files.size(journal()) - header > limit;
            assertThat(asked).as("asks exactly when the records outgrow the snapshot (append %d)", appended)
                    .isEqualTo(outgrown);
            assertThat(appended).isLessThan(1_000);
        }
        assertThat(Files.size(journal())).isGreaterThan(snapshot);
        assertThat(Files.size(journal())).isLessThan(snapshot + 2 * change.length());
        assertThat(Files.size(journal()) - header - limit).as("asked by the first record past the limit")
                .isLessThan(header);
        store.save(state(99, List.of(), List.of(), bigSection + "+"));
        assertThat(store.append(state(100, List.of(), List.of(), null), change)).isFalse();
    }

    @Test
    void recordsThatReachTheLimitToTheByteDoNotAskToCompactAndTheNextByteDoes() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "small"));
        long limit = FileStateStore.MIN_COMPACT_BYTES; // the snapshot is far smaller
        long header = Files.size(journal());
        // One record's size is the size of its source changes plus a fixed overhead, for the same state.
        DaemonState same = state(2, List.of(), List.of(), null);
        assertThat(store.append(same, "x".repeat(1_000))).isFalse();
        long overhead = Files.size(journal()) - header - 1_000;
        while (limit - (Files.size(journal()) - header) > 100_000) {
            assertThat(store.append(same, "x".repeat(50_000))).isFalse();
        }
        long left = limit - (Files.size(journal()) - header);
        assertThat(store.append(same, "x".repeat((int) (left - overhead)))).as("exactly at the limit").isFalse();
        assertThat(Files.size(journal()) - header).isEqualTo(limit);
        assertThat(store.append(same, "")).as("past it").isTrue();
    }

    @Test
    void aOneChangeRecordIsSmall() throws Exception {
        StateStore store = StateStore.file(file());
        store.save(state(1, List.of(), List.of(), "x".repeat(1_000_000)));
        long before = Files.size(journal());
        store.append(state(2, List.of(), List.of(Change.created(p("src/main/java/App.java"))), null),
                "{\"format\":1,\"changes\":[{\"top\":\"/w\",\"entries\":[[\"src/main/java/App.java\",\"f\",1,2,3,0]]}]}");
        assertThat(Files.size(journal()) - before).as("bytes per one-file tick, whatever the section's size")
                .isLessThan(512);
    }

    @Test
    void theStoreOwnsItsJournalAndItsSetAsideCopy() {
        StateStore store = StateStore.file(file());
        assertThat(store.owns(journal())).isTrue();
        assertThat(store.owns(dir.resolve("state.json.journal.corrupt-17"))).isTrue();
        assertThat(store.owns(dir.resolve("state.json.journalx"))).isFalse();
        assertThat(store.owns(dir.resolve("other.journal"))).isFalse();
    }
}
