package io.reactivewatch.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Hold;
import io.reactivewatch.core.HoldMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.WatchEvent;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * The deferral on its own, over marker files made by hand: holds recorded instead of a daemon's, timers and
 * the lock clock in virtual time. The watcher's calls are made directly, in the order a backend makes them.
 */
class VcsDeferralTest {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final Duration LINGER = VcsDeferral.LINGER;

    @TempDir
    Path tmp;

    private Path gitDir;
    private VirtualTimeScheduler clock;
    private final Holds holds = new Holds();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final List<String> cleared = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        gitDir = Files.createDirectories(tmp.toRealPath().resolve("repo/.git"));
        Files.writeString(gitDir.resolve("index"), "index");
        clock = VirtualTimeScheduler.create();
    }

    private VcsDeferral deferral(Path... roots) {
        return new VcsDeferral(VcsRepository.find(List.of(roots)), holds, TIMEOUT, LINGER, clock, warnings::add,
                cleared::add);
    }

    private VcsDeferral openedPolling() {
        VcsDeferral d = deferral(gitDir.getParent());
        d.open(null);
        return d;
    }

    /** One polling scan: the look before its changes go out, then the one at its end. */
    private static void scan(VcsDeferral d) {
        d.beforeApply();
        d.afterScan();
    }

    @Test
    void aRepositoryInAnOperationWhenTheSourceOpensIsHeldAtOnce() throws IOException {
        Files.createDirectories(gitDir.resolve("rebase-merge"));

        openedPolling();

        assertThat(holds.open()).containsExactly("git rebase in progress");
    }

    @Test
    void theMostTellingMarkerNamesTheOperation() throws IOException {
        Files.createFile(gitDir.resolve("index.lock"));
        Files.writeString(gitDir.resolve("CHERRY_PICK_HEAD"), "abc");
        Files.writeString(gitDir.resolve("MERGE_HEAD"), "abc");

        openedPolling();

        assertThat(holds.open()).containsExactly("git merge in progress");
    }

    @Test
    void whenTheOperationChangesTheNewHoldOpensBeforeTheOldCloses() throws IOException {
        VcsDeferral d = openedPolling();
        Files.createFile(gitDir.resolve("index.lock"));
        scan(d);
        Files.delete(gitDir.resolve("index.lock"));
        Files.writeString(gitDir.resolve("MERGE_HEAD"), "abc");

        scan(d);

        assertThat(holds.open()).containsExactly("git merge in progress");
        assertThat(holds.log).containsExactly("open git operation in progress (index.lock)",
                "open git merge in progress", "close git operation in progress (index.lock)");
    }

    @Test
    void aHoldClosesOnceItsMarkersHaveBeenGoneForTheLingerAfterAQuietScan() throws IOException {
        VcsDeferral d = openedPolling();
        Files.writeString(gitDir.resolve("MERGE_HEAD"), "abc");
        scan(d);
        assertThat(holds.open()).containsExactly("git merge in progress");

        Files.delete(gitDir.resolve("MERGE_HEAD"));
        scan(d);
        scan(d); // the first may have seen the directory move; this one is quiet
        clock.advanceTimeBy(LINGER.minusMillis(1));
        assertThat(holds.open()).containsExactly("git merge in progress");
        clock.advanceTimeBy(Duration.ofMillis(1));

        assertThat(holds.open()).isEmpty();
        assertThat(holds.log).containsExactly("open git merge in progress", "close git merge in progress");
    }

    @Test
    void aMarkerBackWithinTheLingerKeepsTheTicksHeld() throws IOException {
        VcsDeferral d = openedPolling();
        Files.createFile(gitDir.resolve("index.lock"));
        scan(d);
        Files.delete(gitDir.resolve("index.lock"));
        scan(d);
        scan(d);

        clock.advanceTimeBy(LINGER.dividedBy(2));
        Files.writeString(gitDir.resolve("MERGE_HEAD"), "abc"); // git merge writes it just after the index
        clock.advanceTimeBy(LINGER);

        assertThat(holds.open()).containsExactly("git merge in progress");
        assertThat(holds.log).containsExactly("open git operation in progress (index.lock)",
                "open git merge in progress", "close git operation in progress (index.lock)");
    }

    @Test
    void pollingAnIndexReplacedWhileAScanReadHoldsUntilAScanSawNothingMove() throws IOException {
        VcsDeferral d = openedPolling();
        scan(d);
        assertThat(holds.log).isEmpty();

        // A whole checkout between two looks: no marker left, but the index is a new file.
        Path staged = Files.writeString(gitDir.resolve("index.tmp"), "new index");
        Files.move(staged, gitDir.resolve("index"), StandardCopyOption.REPLACE_EXISTING);
        d.beforeApply();

        assertThat(holds.open()).containsExactly("git operation in progress");
        d.afterScan();
        clock.advanceTimeBy(LINGER.multipliedBy(5));
        assertThat(holds.open()).as("held through the scan that may have read half of it").hasSize(1);
        scan(d);
        clock.advanceTimeBy(LINGER);
        assertThat(holds.open()).isEmpty();
    }

    @Test
    void nativeAMarkerSeenInTheBatchHoldsItsTreeChangesEvenIfGoneAlready() {
        Object key = new Object();
        VcsDeferral d = deferral(gitDir.getParent());
        d.open(dir -> key);

        boolean taken = d.noteEvents(key, List.of(event(ENTRY_CREATE, "index.lock"), event(ENTRY_DELETE,
                "index.lock"), event(ENTRY_CREATE, "index")), true);
        d.beforeBatch(true);

        assertThat(taken).isTrue();
        assertThat(holds.open()).containsExactly("git operation in progress (index.lock)");
        d.afterBatch();
        clock.advanceTimeBy(LINGER);
        assertThat(holds.open()).isEmpty();
        assertThat(d.noteEvents(new Object(), List.of(event(ENTRY_CREATE, "index.lock")), true)).isFalse();
    }

    @Test
    void nativeMarkerEventsWithoutTreeChangesHoldOnlyWhileAMarkerExists() throws IOException {
        Object key = new Object();
        VcsDeferral d = deferral(gitDir.getParent());
        d.open(dir -> key);

        d.noteEvents(key, List.of(event(ENTRY_CREATE, "index.lock"), event(ENTRY_DELETE, "index.lock")), true);
        d.beforeBatch(false);
        d.afterBatch();
        assertThat(holds.log).as("git status refreshing the index").isEmpty();

        Files.createDirectories(gitDir.resolve("rebase-merge"));
        d.noteEvents(key, List.of(event(ENTRY_CREATE, "rebase-merge"), event(ENTRY_CREATE, "HEAD.lock")), true);
        d.beforeBatch(false);
        d.afterBatch();
        assertThat(holds.open()).containsExactly("git rebase in progress");
    }

    @Test
    void aMarkerDirectoryThatCannotBeWatchedIsPolledByTheNativeBackend() throws IOException {
        VcsDeferral d = deferral(gitDir.getParent());
        d.open(dir -> null);
        Files.writeString(gitDir.resolve("BISECT_LOG"), "log");

        d.pollUnwatched();

        assertThat(holds.open()).containsExactly("git bisect in progress");
    }

    @Test
    void aFreshLockStopsHoldingOnceOlderThanTheTimeoutWithOneWarningAndANewLockHoldsAgain() throws IOException {
        VcsDeferral d = openedPolling();
        Path lock = Files.createFile(gitDir.resolve("index.lock"));
        scan(d);

        clock.advanceTimeBy(TIMEOUT.minusMillis(1));
        assertThat(holds.open()).containsExactly("git operation in progress (index.lock)");
        clock.advanceTimeBy(Duration.ofMillis(1));

        assertThat(holds.open()).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("stale git lock " + lock + ": older than 3 min")
                .contains("a crashed git leaves it behind");
        scan(d);
        scan(d);
        assertThat(warnings).hasSize(1);
        assertThat(holds.open()).isEmpty();

        Files.delete(lock);
        scan(d);
        assertThat(cleared).containsExactlyElementsOf(warnings);
        Files.createFile(lock);
        Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() + 5_000)); // another file
        scan(d);
        assertThat(holds.open()).containsExactly("git operation in progress (index.lock)");
    }

    @Test
    void aLockWrittenAgainIsFreshAgain() throws IOException {
        VcsDeferral d = openedPolling();
        Path lock = Files.createFile(gitDir.resolve("index.lock"));
        scan(d);
        clock.advanceTimeBy(Duration.ofMinutes(2));
        Files.setLastModifiedTime(lock, FileTime.fromMillis(Files.getLastModifiedTime(lock).toMillis() + 1_000));
        scan(d);

        clock.advanceTimeBy(Duration.ofMinutes(2));
        assertThat(holds.open()).as("4 minutes since first seen, 2 since written").hasSize(1);
        clock.advanceTimeBy(Duration.ofMinutes(1));

        assertThat(holds.open()).isEmpty();
        assertThat(warnings).hasSize(1);
    }

    @Test
    void aLockWhoseModificationTimeIsOlderThanTheTimeoutHoldsNothingFromTheStart() throws IOException {
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        clock.advanceTimeTo(now);
        Path lock = Files.createFile(gitDir.resolve("index.lock"));
        Files.setLastModifiedTime(lock, FileTime.from(now.minus(Duration.ofHours(1))));

        openedPolling();

        assertThat(holds.log).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith("stale git lock " + lock);
    }

    @Test
    void aStaleLockUnderAnotherOperationIsReportedWhileTheOperationHolds() throws IOException {
        Files.createDirectories(gitDir.resolve("rebase-merge"));
        Files.createFile(gitDir.resolve("index.lock"));
        openedPolling();

        clock.advanceTimeBy(TIMEOUT);

        assertThat(holds.open()).containsExactly("git rebase in progress");
        assertThat(warnings).hasSize(1);
    }

    @Test
    void mercurialHoldsOnItsWorkingDirectoryLockEvenAsADanglingLink() throws IOException {
        Path hg = Files.createDirectories(tmp.toRealPath().resolve("hgrepo/.hg"));
        Files.createSymbolicLink(hg.resolve("wlock"), Path.of("host:12345"));
        VcsDeferral d = deferral(hg.getParent());

        d.open(null);

        assertThat(holds.open()).containsExactly("hg operation in progress");
    }

    @Test
    void withSeveralRepositoriesEachHoldNamesItsWorkTree() throws IOException {
        Path other = Files.createDirectories(tmp.toRealPath().resolve("other/.git"));
        Files.writeString(other.resolve("MERGE_HEAD"), "abc");
        Files.createDirectories(gitDir.resolve("rebase-merge"));
        VcsDeferral d = deferral(gitDir.getParent(), other.getParent());

        d.open(null);

        assertThat(holds.open()).containsExactly("git rebase in progress in " + gitDir.getParent(),
                "git merge in progress in " + other.getParent());
    }

    @Test
    void closingReleasesTheHoldsAndCancelsTheTimers() throws IOException {
        Files.createFile(gitDir.resolve("index.lock"));
        VcsDeferral d = openedPolling();

        d.close();
        clock.advanceTimeBy(TIMEOUT);

        assertThat(holds.open()).isEmpty();
        assertThat(warnings).isEmpty();
        d.close();
    }

    @Test
    void offDefersNothing() {
        VcsDeferral off = VcsDeferral.off();
        off.open(dir -> {
            throw new AssertionError("nothing to register");
        });
        off.beforeBatch(true);
        off.beforeApply();

        assertThat(off.noteEvents(new Object(), List.of(event(ENTRY_CREATE, "index.lock")), true)).isFalse();
        assertThat(off.repositories()).isEmpty();
    }

    private static WatchEvent<Path> event(WatchEvent.Kind<Path> kind, String name) {
        return new Event(kind, Path.of(name));
    }

    private record Event(WatchEvent.Kind<Path> kind, Path context) implements WatchEvent<Path> {
        @Override
        public int count() {
            return 1;
        }
    }

    /** Records the holds opened and closed, in order. */
    private static final class Holds implements Function<String, Hold> {
        final List<String> log = new CopyOnWriteArrayList<>();
        private final List<FakeHold> all = new CopyOnWriteArrayList<>();

        @Override
        public Hold apply(String reason) {
            FakeHold h = new FakeHold(reason);
            all.add(h);
            log.add("open " + reason);
            return h;
        }

        List<String> open() {
            List<String> out = new ArrayList<>();
            all.stream().filter(Hold::isOpen).forEach(h -> out.add(h.reason()));
            return out;
        }

        private final class FakeHold implements Hold {
            private final String reason;
            private volatile boolean open = true;

            FakeHold(String reason) {
                this.reason = reason;
            }

            @Override
            public String reason() {
                return reason;
            }

            @Override
            public HoldMode mode() {
                return HoldMode.DEFER;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                if (open) {
                    open = false;
                    log.add("close " + reason);
                }
            }
        }
    }
}
