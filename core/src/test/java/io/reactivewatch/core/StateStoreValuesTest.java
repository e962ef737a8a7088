package io.reactivewatch.core;

import static io.reactivewatch.core.Fixtures.p;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small promises of the store's values and defaults, which the daemon-level tests take for granted. */
class StateStoreValuesTest {

    @TempDir
    Path dir;

    private static DaemonState state(boolean rescan) {
        return new DaemonState(DaemonState.FORMAT, DaemonState.SCHEMA_VERSION, null, 3, null,
                List.of(Change.created(p("a"))), rescan, List.of(), null, null);
    }

    @Test
    void loadedLeavesOutEmptySourceChangesAndKeepsTheRestInOrder() {
        StateStore.Loaded loaded = StateStore.Loaded.of(state(false), Arrays.asList("+a", "", null, "-a"));
        assertThat(loaded.sourceChanges()).containsExactly("+a", "-a");
        assertThat(StateStore.Loaded.of(state(false), null).sourceChanges()).isEmpty();
    }

    @Test
    void loadedOffersTheStateItHolds() {
        DaemonState s = state(false);
        assertThat(StateStore.Loaded.of(s).stateIfPresent()).containsSame(s);
        assertThat(StateStore.Loaded.none().stateIfPresent()).isEmpty();
        assertThat(StateStore.Loaded.setAside("why").corrupt()).isTrue();
        assertThat(StateStore.Loaded.refused("why").corrupt()).isFalse();
    }

    @Test
    void thePendingChangeSetCarriesTheRescanMarkerOnlyWhenOneWasPending() {
        assertThat(state(true).pending().rescan()).isTrue();
        assertThat(state(true).pending().changes()).containsExactly(Change.created(p("a")));
        assertThat(state(false).pending().rescan()).isFalse();
    }

    @Test
    void aCustomStoreOwnsNothingAndKeepsNoJournalUnlessItSaysSo() {
        StateStore custom = new StateStore() {
            @Override
            public Loaded load() {
                return Loaded.none();
            }

            @Override
            public void save(DaemonState state) {
            }
        };
        assertThat(custom.owns(dir.resolve("anything"))).isFalse();
        assertThat(custom.appends()).isFalse();
    }

    @Test
    void theFileStoreNamesItsFile() {
        assertThat(StateStore.file(dir.resolve("state.json")).toString()).contains(dir.resolve("state.json").toString());
    }

    @Test
    void aStateFileUnderASymbolicLinkWhoseDirectoryDoesNotExistYetIsOwnedUnderBothNames() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        StateStore store = StateStore.file(link.resolve("not-yet/state.json"));
        // A watcher of real paths sees the file under the link's target once the directory exists.
        assertThat(store.owns(real.resolve("not-yet/state.json"))).isTrue();
        assertThat(store.owns(link.resolve("not-yet/state.json"))).isTrue();
        assertThat(store.owns(real.resolve("not-yet/other.json"))).isFalse();
        assertThat(store.owns(real.resolve("state.json"))).isFalse();
    }

    @Test
    void aSetAsideWarningIsOneLine() throws Exception {
        Path file = dir.resolve("state.json");
        Files.writeString(file, "{\"format\":\"reactive-watch-state\",\"schemaVersion\":3,\"pendingChanges\":[{\"pa");
        StateStore.Loaded loaded = StateStore.file(file).load();
        assertThat(loaded.warning()).contains("unusable").doesNotContain("\n");
    }
}
