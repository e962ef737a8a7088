package io.reactivewatch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.HoldStatus;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class ReactiveWatchAutoConfigurationTest {

    @TempDir
    Path root;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReactiveWatchAutoConfiguration.class));

    /** Records the ticks it reconciles. */
    static final class Recording implements Reconciler<String> {
        final String name;
        final List<Tick> ticks = new CopyOnWriteArrayList<>();

        Recording(String name) {
            this.name = name;
        }

        @Override
        public Mono<String> reconcile(Tick tick) {
            ticks.add(tick);
            return Mono.just(name);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OneReconciler {
        @Bean
        Recording indexer() {
            return new Recording("indexer");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class TwoReconcilers {
        @Bean
        Recording docs() {
            return new Recording("docs");
        }

        @Bean
        Recording assets() {
            return new Recording("assets");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserDaemon {
        @Bean(destroyMethod = "")
        ReconcileDaemon<Void> myDaemon() {
            return ReconcileDaemon.<Void>builder(tick -> Mono.empty()).build();
        }
    }

    private String roots() {
        return "reactive-watch.watchers.docs.roots=" + root;
    }

    private static TickResult<?> tick(AssertableApplicationContext context, String watcher) {
        return context.getBean(ReactiveWatchers.class).daemon(watcher).tickNow().block(Duration.ofSeconds(10));
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new ReactiveWatchFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    @Test
    void nothingIsCreatedWhenNoWatcherIsConfigured() {
        runner.withUserConfiguration(OneReconciler.class)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReactiveWatchers.class));
    }

    @Test
    void aSingleReconcilerBeanBindsToASingleWatcherWithoutNamingAndStartsWithTheContext() {
        runner.withUserConfiguration(OneReconciler.class).withPropertyValues(roots()).run(context -> {
            ReactiveWatchers watchers = context.getBean(ReactiveWatchers.class);
            assertThat(watchers.names()).containsExactly("docs");
            assertThat(watchers.isRunning()).isTrue();
            assertThat(watchers.daemon("docs").status().active()).isTrue();
            assertThat(watchers.daemon("docs").status().watchPaths()).containsExactly(root.toRealPath().toString());
            assertThat(tick(context, "docs").value()).isEqualTo("indexer");
        });
    }

    @Test
    void eachWatcherRunsTheReconcilerBeanOfItsName() throws Exception {
        Path assets = Files.createDirectory(root.resolve("assets"));
        Path docs = Files.createDirectory(root.resolve("docs"));
        runner.withUserConfiguration(TwoReconcilers.class)
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + docs,
                        "reactive-watch.watchers.assets.roots=" + assets)
                .run(context -> {
                    assertThat(tick(context, "docs").value()).isEqualTo("docs");
                    assertThat(tick(context, "assets").value()).isEqualTo("assets");
                });
    }

    @Test
    void theReconcilerPropertyNamesTheBean() {
        runner.withUserConfiguration(TwoReconcilers.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.reconciler=assets")
                .run(context -> assertThat(tick(context, "docs").value()).isEqualTo("assets"));
    }

    @Test
    void aChangedFileUnderARootBecomesATickWithTheWatchersSettings() throws Exception {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.extensions=md",
                        "reactive-watch.watchers.docs.settle=20ms", "reactive-watch.watchers.docs.max-wait=200ms",
                        "reactive-watch.watchers.docs.busy-policy=restart", "reactive-watch.watchers.docs.retry.policy=none",
                        "reactive-watch.watchers.docs.backend=polling", "reactive-watch.watchers.docs.scan-interval=50ms")
                .run(context -> {
                    var status = context.getBean(ReactiveWatchers.class).daemon("docs").status();
                    assertThat(status.coalescing()).isEqualTo("settle");
                    assertThat(status.maxWait()).isEqualTo(200);
                    assertThat(status.retry()).isEqualTo("none");
                    assertThat(status.backend()).isEqualTo("polling");
                    assertThat(status.busyPolicy().wireName()).isEqualTo("restart");
                    Files.writeString(root.resolve("ignored.txt"), "x");
                    Files.writeString(root.resolve("a.md"), "# a");
                    Recording r = context.getBean(Recording.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !r.ticks.isEmpty());
                    assertThat(r.ticks.get(0).changes().paths())
                            .containsExactly(root.toRealPath().resolve("a.md"));
                });
    }

    @Test
    void aRegularFileAsARootIsWatchedAloneAndItsSiblingsAreNot() throws Exception {
        Path config = Files.writeString(root.resolve("application.yml"), "a: 1\n");
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + config)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Files.writeString(root.resolve("sibling.yml"), "b: 2\n");
                    Files.writeString(config, "a: 2\n");
                    Recording r = context.getBean(Recording.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !r.ticks.isEmpty());
                    // The manual tick queues behind anything the writes still have pending.
                    tick(context, "docs");
                    assertThat(r.ticks).flatExtracting(t -> t.changes().paths())
                            .containsOnly(config.toRealPath());
                });
    }

    @Test
    void aRootThatIsNeitherADirectoryNorAFileFailsStartupNamingTheProperty() throws Exception {
        Path fifo = root.resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo works here");
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + fifo)
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: reactive-watch.watchers.docs.roots[0]")
                        .contains("neither a directory nor a regular file"));
    }

    @Test
    void aWatcherHoldsItsTicksWhileTheRootsRepositoryIsMergingUnlessDeferVcsIsOff() throws Exception {
        Path gitDir = Files.createDirectories(root.resolve(".git"));
        Files.writeString(gitDir.resolve("MERGE_HEAD"), "0123456789012345678901234567890123456789\n");
        runner.withUserConfiguration(OneReconciler.class).withPropertyValues(roots())
                .run(context -> assertThat(context.getBean(ReactiveWatchers.class).daemon("docs").status().holds())
                        .extracting(HoldStatus::reason).containsExactly("git merge in progress"));
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.defer-vcs=false")
                .run(context -> assertThat(context.getBean(ReactiveWatchers.class).daemon("docs").status().holds())
                        .isEmpty());
    }

    @Test
    void vcsLockTimeoutSaysHowOldALockMayGetBeforeItStopsHolding() throws Exception {
        Path lock = Files.createFile(Files.createDirectories(root.resolve(".git")).resolve("index.lock"));
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofMinutes(20))));
        runner.withUserConfiguration(OneReconciler.class).withPropertyValues(roots())
                .run(context -> {
                    var status = context.getBean(ReactiveWatchers.class).daemon("docs").status();
                    assertThat(status.holds()).as("older than the default 10 minutes").isEmpty();
                    assertThat(status.backendError()).contains("stale git lock").contains("index.lock");
                });
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.vcs-lock-timeout=1h")
                .run(context -> assertThat(context.getBean(ReactiveWatchers.class).daemon("docs").status().holds())
                        .extracting(HoldStatus::reason).containsExactly("git operation in progress (index.lock)"));
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.vcs-lock-timeout=0s")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: reactive-watch.watchers.docs.vcs-lock-timeout").contains("positive"));
    }

    @Test
    void aWindowHasNoCountCapUnlessMaxBatchSetsOne() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.window=80ms")
                .run(context -> {
                    var status = context.getBean(ReactiveWatchers.class).daemon("docs").status();
                    assertThat(status.coalescing()).isEqualTo("window");
                    assertThat(status.coalesceWindow()).isEqualTo(80);
                    assertThat(status.maxBatch()).isNull();
                });
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.max-batch=500")
                .run(context -> {
                    var status = context.getBean(ReactiveWatchers.class).daemon("docs").status();
                    assertThat(status.coalesceWindow()).isEqualTo(50);
                    assertThat(status.maxBatch()).isEqualTo(500);
                });
    }

    @Test
    void closingTheContextStopsTheWatcherAndPersistsItsState() {
        Path state = root.resolve("state.json");
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + root,
                        "reactive-watch.watchers.docs.state-file=" + state)
                .run(context -> {
                    ReconcileDaemon<?> d = context.getBean(ReactiveWatchers.class).daemon("docs");
                    context.close();
                    assertThat(d.status().active()).isFalse();
                    assertThat(state).exists();
                });
    }

    /** The status of watcher {@code docs} over {@code tree}, right after the context started it. */
    private DaemonStatus statusOf(Path tree, String... settings) {
        AtomicReference<DaemonStatus> status = new AtomicReference<>();
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + tree)
                .withPropertyValues(settings)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    status.set(context.getBean(ReactiveWatchers.class).daemon("docs").status());
                });
        return status.get();
    }

    @Test
    void includeGlobsNarrowWhatTheSourceTracksToTheMatchingFiles() throws Exception {
        Path tree = Files.createDirectory(root.resolve("tree"));
        Files.writeString(tree.resolve("a.md"), "a");
        Files.writeString(tree.resolve("b.txt"), "b");
        assertThat(statusOf(tree).trackedFiles()).isEqualTo(2);
        assertThat(statusOf(tree, "reactive-watch.watchers.docs.include=*.md").trackedFiles()).isEqualTo(1);
    }

    @Test
    void excludeGlobsKeepPathsOutOfWhatTheSourceTracks() throws Exception {
        Path tree = Files.createDirectory(root.resolve("tree"));
        Files.writeString(tree.resolve("a.md"), "a");
        Files.writeString(Files.createDirectory(tree.resolve("build")).resolve("out.md"), "out");
        DaemonStatus all = statusOf(tree);
        assertThat(all.trackedFiles()).isEqualTo(2);
        assertThat(all.trackedDirectories()).isEqualTo(1);
        DaemonStatus excluded = statusOf(tree, "reactive-watch.watchers.docs.exclude=build/");
        assertThat(excluded.trackedFiles()).isEqualTo(1);
        assertThat(excluded.trackedDirectories()).isZero();
    }

    @Test
    void vcsIgnoreFalseTracksWhatGitignoreFilesIgnore() throws Exception {
        Path tree = Files.createDirectory(root.resolve("tree"));
        Files.writeString(tree.resolve(".gitignore"), "*.log\n");
        Files.writeString(tree.resolve("a.md"), "a");
        Files.writeString(tree.resolve("app.log"), "log");
        assertThat(statusOf(tree).trackedFiles()).as(".gitignore and a.md").isEqualTo(2);
        assertThat(statusOf(tree, "reactive-watch.watchers.docs.vcs-ignore=false").trackedFiles())
                .as("app.log too").isEqualTo(3);
    }

    @Test
    void followSymlinksWalksIntoALinkedDirectory() throws Exception {
        Path tree = Files.createDirectory(root.resolve("tree"));
        Path outside = Files.createDirectory(root.resolve("outside"));
        Files.writeString(outside.resolve("x.md"), "x");
        Files.writeString(outside.resolve("y.md"), "y");
        Files.createSymbolicLink(tree.resolve("link"), outside);
        DaemonStatus notFollowed = statusOf(tree);
        assertThat(notFollowed.trackedFiles()).as("the link itself").isEqualTo(1);
        assertThat(notFollowed.trackedDirectories()).isZero();
        DaemonStatus followed = statusOf(tree, "reactive-watch.watchers.docs.follow-symlinks=true");
        assertThat(followed.trackedFiles()).as("link/x.md and link/y.md").isEqualTo(2);
        assertThat(followed.trackedDirectories()).as("link").isEqualTo(1);
    }

    @Test
    void retryMinAndMaxBoundTheBackoff() throws Exception {
        assertThat(statusOf(root, "reactive-watch.watchers.docs.retry.min=200ms",
                "reactive-watch.watchers.docs.retry.max=5s").retry()).isEqualTo("backoff(200ms..5000ms)");
        assertThat(statusOf(root).retry()).isEqualTo("backoff(1000ms..60000ms)");
    }

    @Test
    void tickOnStartTicksOnceAtStartThoughNothingChanged() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.tick-on-start=true")
                .run(context -> {
                    Recording r = context.getBean(Recording.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> !r.ticks.isEmpty());
                    assertThat(r.ticks.get(0).triggers()).containsExactly(Trigger.STARTUP);
                    assertThat(r.ticks.get(0).changes().isEmpty()).isTrue();
                });
    }

    @Test
    void aTickRunningLongerThanTickTimeoutIsCancelledAsTimedOut() {
        runner.withBean("docs", Reconciler.class, () -> tick -> Mono.never())
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.tick-timeout=100ms",
                        "reactive-watch.watchers.docs.retry.policy=none")
                .run(context -> assertThat(tick(context, "docs").outcome()).isEqualTo(Outcome.TIMED_OUT));
    }

    @Test
    void stopGracePeriodBoundsHowLongARunningReconcileMayFinishAtShutdown() {
        // The reconcile would finish by itself after 5 s, well within the default grace period of 10 s: only
        // the configured 100 ms makes shutdown cancel it.
        Sinks.One<TickResult<?>> result = Sinks.one();
        runner.withBean("docs", Reconciler.class, () -> tick -> Mono.delay(Duration.ofSeconds(5)))
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.stop-grace-period=100ms")
                .run(context -> {
                    ReconcileDaemon<?> d = context.getBean(ReactiveWatchers.class).daemon("docs");
                    d.ticks().subscribe(result::tryEmitValue);
                    d.tickNow().subscribe(r -> { }, e -> { });
                    await().atMost(Duration.ofSeconds(10)).until(() -> d.status().tickInFlight());
                    context.close();
                });
        assertThat(result.asMono().block(Duration.ofSeconds(10)).outcome()).isEqualTo(Outcome.CANCELLED);
    }

    @Test
    void backsOffWhenDisabled() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReactiveWatchers.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnDaemon() {
        runner.withUserConfiguration(OneReconciler.class, UserDaemon.class).withPropertyValues(roots())
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ReactiveWatchers.class)
                        .hasSingleBean(ReconcileDaemon.class));
    }

    @Test
    void reactiveWatchersOfTheApplicationWin() {
        ReconcileDaemon<Void> own = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(Flux.never()).build();
        runner.withUserConfiguration(OneReconciler.class).withPropertyValues(roots())
                .withBean("ownWatchers", ReactiveWatchers.class, () -> new ReactiveWatchers(Map.of("own", own), Map.of(), Map.of()))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(ReactiveWatchers.class)).containsOnlyKeys("ownWatchers");
                    assertThat(context.getBean(ReactiveWatchers.class).names()).containsExactly("own");
                    assertThat(own.status().active()).as("started with the context").isTrue();
                });
    }

    @Test
    void aMissingRootFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + root.resolve("nope"))
                .run(context -> {
                    FailureAnalysis a = analysis(context);
                    assertThat(a.getDescription()).contains("Property: reactive-watch.watchers.docs.roots[0]")
                            .contains("watch root does not exist");
                    assertThat(a.getAction()).contains("reactive-watch.watchers.docs.roots");
                });
    }

    @Test
    void windowAndSettleTogetherFailStartupNamingTheProperty() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.window=50ms",
                        "reactive-watch.watchers.docs.settle=300ms")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: reactive-watch.watchers.docs.settle").contains("both set"));
    }

    @Test
    void aNonPositiveDurationFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.tick-timeout=0s")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: reactive-watch.watchers.docs.tick-timeout").contains("positive"));
    }

    @Test
    void aWatcherWithoutAReconcilerFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(TwoReconcilers.class)
                .withPropertyValues("reactive-watch.watchers.site.roots=" + root)
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: reactive-watch.watchers.site.reconciler")
                        .contains("no Reconciler bean for watcher 'site'"));
        runner.withPropertyValues(roots())
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("there is no Reconciler bean at all"));
    }

    @Test
    void aStateFileInADirectoryThatDoesNotExistFailsStartupNamingTheProperty() {
        Path state = root.resolve("missing").resolve("state.json");
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.state-file=" + state)
                .run(context -> {
                    FailureAnalysis a = analysis(context);
                    assertThat(a.getDescription()).contains("Property: reactive-watch.watchers.docs.state-file")
                            .contains("Value: \"" + state + "\"")
                            .contains("its directory " + root.resolve("missing") + " does not exist");
                    assertThat(a.getAction()).contains("reactive-watch.watchers.docs.state-file");
                });
    }

    @Test
    void maxBatchWithSettleFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.settle=300ms",
                        "reactive-watch.watchers.docs.max-batch=100")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: reactive-watch.watchers.docs.max-batch").contains("Value: \"100\"")
                        .contains("settle never closes a batch by count"));
    }

    @Test
    void maxWaitWithoutSettleFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.max-wait=2s")
                .run(context -> {
                    FailureAnalysis a = analysis(context);
                    assertThat(a.getDescription()).contains("Property: reactive-watch.watchers.docs.max-wait")
                            .contains("max-wait needs settle");
                    assertThat(a.getAction()).contains("reactive-watch.watchers.docs.settle");
                });
    }

    @Test
    void aNegativeMaxConsecutiveFailuresFailsStartupNamingTheProperty() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.health.max-consecutive-failures=-1")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: reactive-watch.watchers.docs.health.max-consecutive-failures")
                        .contains("Value: \"-1\"").contains("must not be negative"));
    }

    @Test
    void aReconcilerPropertyNamingNoBeanFailsStartup() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.reconciler=missing")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Value: \"missing\"").contains("no Reconciler bean named 'missing'"));
    }

    @Test
    void aBadDurationIsABindingFailureOfThatProperty() {
        runner.withUserConfiguration(OneReconciler.class)
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.window=soon")
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("soon"));
    }

    @Test
    void aFailingReconcilerIsAnOutcomeNotACrash() {
        runner.withBean("docs", Reconciler.class, () -> tick -> Mono.error(new IllegalStateException("boom")))
                .withPropertyValues(roots(), "reactive-watch.watchers.docs.retry.policy=none")
                .run(context -> assertThat(tick(context, "docs").outcome()).isEqualTo(Outcome.FAILED));
    }
}
