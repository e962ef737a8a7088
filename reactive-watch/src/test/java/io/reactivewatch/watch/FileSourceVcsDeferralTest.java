package io.reactivewatch.watch;

import static io.reactivewatch.core.ChangeKind.CREATED;
import static io.reactivewatch.core.ChangeKind.MODIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.HoldMode;
import io.reactivewatch.core.HoldStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Tick;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A {@link FileSource} in a daemon over a real git repository: while git is in the middle of an operation the
 * source holds the daemon's ticks, and the operation's changes come as one tick once it ends. Git runs as a
 * process and is waited for; every "no tick until" is shown by waiting until the daemon has deferred a tick
 * because of the hold, then checking that none ran.
 */
class FileSourceVcsDeferralTest {

    private static final Duration LONG = Duration.ofSeconds(60);
    /** Short enough that a 2,000-file checkout spans many windows and settle periods on any machine. */
    private static final Coalescing WINDOW = Coalescing.window(Duration.ofMillis(50));
    private static final Coalescing SETTLE = Coalescing.settle(Duration.ofMillis(30), Duration.ofMillis(150));

    @TempDir
    Path tmp;

    /** The 2,000-file repository, built once: the checkout tests differ only in backend and coalescing. */
    @TempDir
    static Path shared;

    private static GitRepo checkoutRepo;

    private TickRecorder recorder;
    private final List<ReconcileDaemon<?>> daemons = new ArrayList<>();

    @BeforeEach
    void setUp() {
        recorder = new TickRecorder();
    }

    @AfterEach
    void tearDown() {
        daemons.forEach(ReconcileDaemon::close);
        recorder.dispose();
    }

    private ReconcileDaemon<Void> start(FileSource.Builder source, Coalescing coalescing) {
        ReconcileDaemon<Void> d = Fixture.start(Fixture.daemon(source.build(), recorder, coalescing), recorder);
        daemons.add(d);
        return d;
    }

    private ReconcileDaemon<Void> start(Backend backend, Path root) {
        return start(Fixture.source(backend, root), WINDOW);
    }

    static Stream<Arguments> backendsAndCoalescing() {
        return Stream.of(
                Arguments.of(Backend.NATIVE, "window"), Arguments.of(Backend.NATIVE, "settle"),
                Arguments.of(Backend.POLLING, "window"), Arguments.of(Backend.POLLING, "settle"));
    }

    // ------------------------------------------------------------------ checkout

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("backendsAndCoalescing")
    void aCheckoutBetweenBranchesThatDifferIn2000FilesIsOneTickWithExactlyTheirDifference(Backend backend,
            String mode) throws IOException {
        GitRepo git = twoBranchesDifferingIn2000Files();
        Set<Change> difference = git.diff("main", "other");
        assertThat(difference).hasSize(2000);
        ReconcileDaemon<Void> daemon = start(Fixture.source(backend, git.dir), mode.equals("window") ? WINDOW : SETTLE);

        git.git("checkout", "-q", "other");

        recorder.await("the checkout's tick", LONG, r -> !r.ticks().isEmpty());
        Path sentinel = Files.writeString(git.file("sentinel.txt"), "after the checkout");
        recorder.awaitSaw(sentinel, CREATED);
        List<Tick> ticks = recorder.ticks();
        assertThat(ticks).as("ticks: the checkout's, then the sentinel's").hasSize(2);
        assertThat(Set.copyOf(ticks.get(0).changes().changes())).isEqualTo(difference);
        assertThat(ticks.get(1).changes().changes()).containsExactly(Change.created(sentinel));
        assertThat(daemon.status().deferredTicks()).as("ticks the checkout held back").isPositive();
        assertThat(daemon.status().holds()).isEmpty();
    }

    /**
     * {@code main} holds 20 directories of 100 files; {@code other} modifies 35, deletes 30 and adds 35 in
     * each: 2,000 paths differ, no directory comes or goes. Built once for the class; {@code main} is checked
     * out and the working tree clean when this returns.
     */
    private static synchronized GitRepo twoBranchesDifferingIn2000Files() throws IOException {
        if (checkoutRepo == null) {
            checkoutRepo = build2000(shared.resolve("checkout"));
        }
        checkoutRepo.git("checkout", "-q", "main");
        checkoutRepo.git("clean", "-fdq");
        assertThat(checkoutRepo.git("status", "--porcelain")).isEmpty();
        return checkoutRepo;
    }

    private static GitRepo build2000(Path dir) throws IOException {
        GitRepo git = GitRepo.init(dir);
        String filler = "x".repeat(2000);
        for (int d = 0; d < 20; d++) {
            for (int f = 0; f < 100; f++) {
                git.write("d" + d + "/f" + f + ".txt", "main " + d + "/" + f + "\n" + filler);
            }
        }
        git.commitAll("main");
        git.git("checkout", "-q", "-b", "other");
        for (int d = 0; d < 20; d++) {
            for (int f = 0; f < 35; f++) {
                git.write("d" + d + "/f" + f + ".txt", "other " + d + "/" + f + "\n" + filler);
            }
            for (int f = 35; f < 65; f++) {
                Files.delete(git.file("d" + d + "/f" + f + ".txt"));
            }
            for (int n = 0; n < 35; n++) {
                git.write("d" + d + "/n" + n + ".txt", "new " + d + "/" + n + "\n" + filler);
            }
        }
        git.commitAll("other");
        git.git("checkout", "-q", "main");
        return git;
    }

    // ------------------------------------------------------------------ rebase and merge stopped on a conflict

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRebaseStoppedOnAConflictHoldsUntilContinueThenTicksOnceWithEverythingItRewrote(Backend backend)
            throws IOException {
        GitRepo git = divergedOnConflict(tmp.resolve("repo"));
        git.git("checkout", "-q", "feature");
        String before = git.revParse("HEAD");
        ReconcileDaemon<Void> daemon = start(backend, git.dir);

        assertThat(git.run("rebase", "main").exitCode()).as("the rebase stops on the conflict").isNotZero();

        awaitHeldBack(daemon, "git rebase in progress");
        git.write("c.txt", "resolved\n");
        git.git("add", "c.txt");
        git.git("rebase", "--continue");

        Tick tick = awaitOneTickThenSentinel(git);
        Set<Change> difference = git.diff(before, "HEAD");
        assertThat(tick.changes().changes()).containsAll(difference);
        // The rebase also rewrote files whose content came out as it was: modified, as the watcher saw them.
        assertThat(tick.changes().changes()).filteredOn(c -> !difference.contains(c)).isNotEmpty()
                .allSatisfy(c -> {
                    assertThat(c.kind()).isEqualTo(MODIFIED);
                    assertThat(git.run("diff", "--quiet", before, "HEAD", "--", c.path().toString()).exitCode())
                            .as("%s unchanged between before and after the rebase", c.path()).isZero();
                });
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRebaseStoppedOnAConflictHoldsUntilAbortThenTicksOnce(Backend backend) throws IOException {
        GitRepo git = divergedOnConflict(tmp.resolve("repo"));
        git.git("checkout", "-q", "feature");
        ReconcileDaemon<Void> daemon = start(backend, git.dir);

        assertThat(git.run("rebase", "main").exitCode()).as("the rebase stops on the conflict").isNotZero();

        awaitHeldBack(daemon, "git rebase in progress");
        git.git("rebase", "--abort");

        Tick tick = awaitOneTickThenSentinel(git);
        // Back where it started: what the rebase created and the abort removed again nets out.
        assertThat(tick.changes().changes()).contains(new Change(git.file("c.txt"), MODIFIED, EntryType.FILE))
                .noneMatch(c -> c.path().equals(git.file("m.txt")));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMergeStoppedOnAConflictHoldsUntilTheCommitThenTicksOnceWithTheMergedDifference(Backend backend)
            throws IOException {
        GitRepo git = divergedOnConflict(tmp.resolve("repo"));
        String before = git.revParse("HEAD");
        ReconcileDaemon<Void> daemon = start(backend, git.dir);

        assertThat(git.run("merge", "feature").exitCode()).as("the merge stops on the conflict").isNotZero();

        awaitHeldBack(daemon, "git merge in progress");
        git.write("c.txt", "resolved\n");
        git.git("add", "c.txt");
        git.git("commit", "-q", "--no-edit");

        Tick tick = awaitOneTickThenSentinel(git);
        assertThat(Set.copyOf(tick.changes().changes())).isEqualTo(git.diff(before, "HEAD"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aMergeStoppedOnAConflictHoldsUntilAbortThenTicksOnce(Backend backend) throws IOException {
        GitRepo git = divergedOnConflict(tmp.resolve("repo"));
        ReconcileDaemon<Void> daemon = start(backend, git.dir);

        assertThat(git.run("merge", "feature").exitCode()).as("the merge stops on the conflict").isNotZero();

        awaitHeldBack(daemon, "git merge in progress");
        git.git("merge", "--abort");

        Tick tick = awaitOneTickThenSentinel(git);
        assertThat(tick.changes().changes()).contains(new Change(git.file("c.txt"), MODIFIED, EntryType.FILE))
                .noneMatch(c -> c.path().equals(git.file("f1.txt")));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLinkedWorktreeIsHeldByTheOperationsOfItsOwnGitDirectory(Backend backend) throws IOException {
        GitRepo main = divergedOnConflict(tmp.resolve("main"));
        main.git("worktree", "add", "-q", tmp.resolve("wt").toString(), "-b", "wt", "main");
        GitRepo wt = GitRepo.at(tmp.resolve("wt"));
        assertThat(wt.file(".git")).isRegularFile();
        assertThat(wt.gitDir()).isEqualTo(main.gitDir().resolve("worktrees").resolve("wt").toRealPath());
        ReconcileDaemon<Void> daemon = start(backend, wt.dir);

        assertThat(wt.run("merge", "feature").exitCode()).as("the merge stops on the conflict").isNotZero();

        assertThat(wt.gitDir().resolve("MERGE_HEAD")).exists();
        assertThat(main.gitDir().resolve("MERGE_HEAD")).doesNotExist();
        awaitHeldBack(daemon, "git merge in progress");
        wt.git("merge", "--abort");

        Tick tick = awaitOneTickThenSentinel(wt);
        assertThat(tick.changes().changes()).contains(new Change(wt.file("c.txt"), MODIFIED, EntryType.FILE));
    }

    /**
     * {@code main} and {@code feature} both change {@code c.txt} from a common base. {@code feature} also adds
     * {@code f1.txt} and changes {@code b.txt}; {@code main} adds {@code m.txt}. {@code main} is checked out.
     */
    private static GitRepo divergedOnConflict(Path dir) throws IOException {
        GitRepo git = GitRepo.init(dir);
        git.write("a.txt", "a\n");
        git.write("b.txt", "b\n");
        git.write("c.txt", "base\n");
        for (int i = 0; i < 50; i++) {
            git.write("lib/l" + i + ".txt", "l" + i + "\n");
        }
        git.commitAll("base");
        git.git("checkout", "-q", "-b", "feature");
        git.write("c.txt", "feature\n");
        git.write("f1.txt", "f1\n");
        git.commitAll("feature one");
        git.write("b.txt", "b feature\n");
        git.commitAll("feature two");
        git.git("checkout", "-q", "main");
        git.write("c.txt", "main\n");
        git.write("m.txt", "m\n");
        git.commitAll("main");
        return git;
    }

    // ------------------------------------------------------------------ locks

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLockOlderThanTheTimeoutStopsHoldingWithAWarningAndAFreshOneHoldsAgain(Backend backend)
            throws IOException {
        GitRepo git = GitRepo.init(tmp.resolve("repo"));
        git.write("a.txt", "a\n");
        git.commitAll("base");
        Path lock = git.gitDir().resolve("index.lock");
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        Duration timeout = Duration.ofMinutes(3);
        ReconcileDaemon<Void> daemon = start(Fixture.source(backend, git.dir).vcsTimer(clock).vcsLockTimeout(timeout),
                WINDOW);

        Files.createFile(lock);
        Path edit = git.write("a.txt", "edited while locked\n");
        awaitHeldBack(daemon, "git operation in progress (index.lock)");
        clock.advanceTimeBy(timeout.minusMillis(1));
        assertThat(daemon.status().holds()).extracting(HoldStatus::reason)
                .containsExactly("git operation in progress (index.lock)");
        assertThat(recorder.ticks()).isEmpty();

        clock.advanceTimeBy(Duration.ofMillis(1));

        recorder.awaitSaw(edit, MODIFIED);
        assertThat(daemon.status().holds()).isEmpty();
        assertThat(daemon.status().backendError()).startsWith("stale git lock " + lock + ": older than 3 min");

        Files.delete(lock);
        await("the warning taken back").atMost(LONG).until(() -> daemon.status().backendError() == null);
        // The polling backend saw the git directory move, and holds a moment for that: let the moment pass.
        await("no hold").atMost(LONG).until(() -> {
            clock.advanceTimeBy(VcsDeferral.LINGER);
            return daemon.status().holds().isEmpty();
        });
        Files.createFile(lock);
        await("a fresh lock holding").atMost(LONG).until(() -> daemon.status().holds().stream()
                .anyMatch(h -> h.reason().equals("git operation in progress (index.lock)")));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLockLeftBehindLongAgoHoldsNothingFromTheStart(Backend backend) throws IOException {
        GitRepo git = GitRepo.init(tmp.resolve("repo"));
        git.write("a.txt", "a\n");
        git.commitAll("base");
        Path lock = Files.createFile(git.gitDir().resolve("index.lock"));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofHours(1))));

        ReconcileDaemon<Void> daemon = start(backend, git.dir);

        assertThat(daemon.status().holds()).isEmpty();
        assertThat(daemon.status().backendError()).startsWith("stale git lock " + lock + ": older than 10 min");
        Path edit = git.write("a.txt", "edited\n");
        recorder.awaitSaw(edit, MODIFIED);
        assertThat(daemon.status().deferredTicks()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDaemonStartedInTheMiddleOfAMergeHoldsFromTheStart(Backend backend) throws IOException {
        GitRepo git = divergedOnConflict(tmp.resolve("repo"));
        assertThat(git.run("merge", "feature").exitCode()).isNotZero();

        ReconcileDaemon<Void> daemon = start(backend, git.dir);

        assertThat(daemon.status().holds()).singleElement().satisfies(h -> {
            assertThat(h.reason()).isEqualTo("git merge in progress");
            assertThat(h.mode()).isEqualTo(HoldMode.DEFER);
        });
        Path edit = git.write("c.txt", "resolved\n");
        awaitHeldBack(daemon, "git merge in progress");
        git.git("add", "c.txt");
        git.git("commit", "-q", "--no-edit");
        recorder.awaitSaw(edit, MODIFIED);
        assertThat(daemon.status().holds()).isEmpty();
    }

    // ------------------------------------------------------------------ off, and what is never reported

    @ParameterizedTest
    @EnumSource(Backend.class)
    void withDeferralOffAnOperationInProgressHoldsNothing(Backend backend) throws IOException {
        GitRepo git = divergedOnConflict(tmp.resolve("repo"));
        ReconcileDaemon<Void> daemon = start(Fixture.source(backend, git.dir).deferVcs(false), WINDOW);

        assertThat(git.run("merge", "feature").exitCode()).isNotZero();

        recorder.awaitSaw(git.file("f1.txt"), CREATED);
        assertThat(git.gitDir().resolve("MERGE_HEAD")).exists();
        assertThat(daemon.status().holds()).isEmpty();
        assertThat(daemon.status().deferredTicks()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void nothingInsideTheGitDirectoryIsEverReported(Backend backend) throws IOException {
        GitRepo git = divergedOnConflict(tmp.resolve("repo"));
        start(backend, git.dir);

        git.git("merge", "-q", "--no-edit", "-X", "ours", "feature");
        Path sentinel = Files.writeString(git.file("sentinel.txt"), "after the merge");

        recorder.awaitSaw(sentinel, CREATED);
        assertThat(recorder.changes()).extracting(Change::path)
                .noneMatch(p -> p.startsWith(git.dir.resolve(".git")));
    }

    @Test
    void aRootThatIsAGitDirectoryKeepsItsWatchForItsOwnChangesAndItsMarkersArePolled() throws IOException {
        GitRepo git = GitRepo.init(tmp.resolve("repo"));
        Path gitDir = git.gitDir();
        ReconcileDaemon<Void> daemon = start(Backend.NATIVE, gitDir);

        Path note = Files.writeString(gitDir.resolve("note.txt"), "x");
        recorder.awaitSaw(note, CREATED);
        Files.writeString(gitDir.resolve("MERGE_HEAD"), "0123456789012345678901234567890123456789\n");

        await("the merge seen by polling").atMost(LONG).until(() -> daemon.status().holds().stream()
                .anyMatch(h -> h.reason().equals("git merge in progress")));
    }

    @Test
    void theLockTimeoutMustBePositive() {
        FileSource.Builder b = FileSource.builder();
        assertThatThrownBy(() -> b.vcsLockTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("vcsLockTimeout");
        assertThatThrownBy(() -> b.vcsLockTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vcsLockTimeout");
        assertThatThrownBy(() -> b.vcsLockTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("vcsLockTimeout");
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Waits until the daemon holds for {@code reason} and has held back a tick because of it (a batch closed
     * while it was open), then checks that no tick ran.
     */
    private void awaitHeldBack(ReconcileDaemon<Void> daemon, String reason) {
        await("a tick held back by: " + reason).atMost(LONG).until(() -> {
            DaemonStatus s = daemon.status();
            return s.deferredTicks() > 0 && s.holds().stream().anyMatch(h -> h.reason().equals(reason));
        });
        assertThat(recorder.ticks()).as("ticks while held").isEmpty();
    }

    /**
     * Waits for the first tick, then writes a sentinel file and waits for its tick: every change the
     * operation made came before the sentinel, so one tick before the sentinel's, holding the sentinel alone,
     * shows the operation was exactly one tick.
     */
    private Tick awaitOneTickThenSentinel(GitRepo git) throws IOException {
        recorder.await("the operation's tick", LONG, r -> !r.ticks().isEmpty());
        Path sentinel = Files.writeString(git.file("sentinel.txt"), "after");
        recorder.awaitSaw(sentinel, CREATED);
        List<Tick> ticks = recorder.ticks();
        assertThat(ticks).as("ticks: the operation's, then the sentinel's").hasSize(2);
        assertThat(ticks.get(1).changes().changes()).containsExactly(Change.created(sentinel));
        return ticks.get(0);
    }
}
