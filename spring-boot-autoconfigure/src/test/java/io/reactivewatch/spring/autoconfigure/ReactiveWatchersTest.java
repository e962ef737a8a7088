package io.reactivewatch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivewatch.core.ChangeSource;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.SourceContext;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class ReactiveWatchersTest {

    @TempDir
    Path root;

    private ApplicationContextRunner runner(Path stateFile) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReactiveWatchAutoConfiguration.class))
                .withBean("docs", Reconciler.class, () -> tick -> Mono.empty())
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + root,
                        "reactive-watch.watchers.docs.state-file=" + stateFile);
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new ReactiveWatchFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    @Test
    void watchersStartAndStopInTheLifecyclePhaseOfSpringBootsGracefulShutdown() {
        assertThat(ReactiveWatchers.PHASE).isEqualTo(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
    }

    @Test
    void aStateFileThatIsNotOursFailsStartupNamingTheStateFileAndIsLeftAsItWas() throws Exception {
        Path notes = Files.writeString(root.resolve("notes.json"), "{}");
        runner(notes).run(context -> {
            FailureAnalysis a = analysis(context);
            assertThat(a.getDescription()).contains("Property: reactive-watch.watchers.docs.state-file")
                    .contains("Value: \"" + notes + "\"")
                    .contains("Reason: watcher 'docs' could not start: state file " + notes
                            + " is not a reactive-watch state file");
            assertThat(a.getAction()).contains("reactive-watch.watchers.docs.state-file");
        });
        assertThat(Files.readString(notes)).isEqualTo("{}");
    }

    @Test
    void aDirectoryWhereTheStateFileShouldBeFailsStartupNamingTheStateFile() throws Exception {
        Path state = Files.createDirectory(root.resolve("state.json"));
        runner(state).run(context -> assertThat(analysis(context).getDescription())
                .contains("Property: reactive-watch.watchers.docs.state-file")
                .contains("state file " + state + " cannot be read"));
    }

    @Test
    void aSourceThatCannotStartIsReportedByTheRootsEvenWithAStateFile() {
        ChangeSource failing = new ChangeSource() {
            @Override
            public List<SourceEvent> open(SourceContext context) {
                throw new IllegalStateException("cannot start the native filesystem watcher: too many open files");
            }

            @Override
            public Flux<SourceEvent> events() {
                return Flux.never();
            }
        };
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(failing).build();
        ReactiveWatchers watchers = new ReactiveWatchers(Map.of("docs", daemon), Map.of(),
                Map.of("docs", root.resolve("state.json")));
        assertThatThrownBy(watchers::start).isInstanceOfSatisfying(WatcherConfigurationException.class, e -> {
            assertThat(e.property()).isEqualTo("reactive-watch.watchers.docs.roots");
            assertThat(e.reason()).isEqualTo("watcher 'docs' could not start: cannot start the native filesystem "
                    + "watcher: too many open files");
        });
        assertThat(watchers.isRunning()).isFalse();
    }

    @Test
    void aWatcherThatFailsToStartStopsThoseStartedBeforeIt() throws Exception {
        Path notes = Files.writeString(root.resolve("notes.json"), "{}");
        ReconcileDaemon<Void> first = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(Flux.never()).build();
        ReconcileDaemon<Void> second = ReconcileDaemon.<Void>builder(tick -> Mono.empty()).source(Flux.never())
                .stateStore(StateStore.file(notes)).build();
        Map<String, ReconcileDaemon<?>> daemons = new LinkedHashMap<>();
        daemons.put("first", first);
        daemons.put("second", second);
        ReactiveWatchers watchers = new ReactiveWatchers(daemons, Map.of(), Map.of("second", notes));
        assertThatThrownBy(watchers::start).isInstanceOfSatisfying(WatcherConfigurationException.class,
                e -> assertThat(e.property()).isEqualTo("reactive-watch.watchers.second.state-file"));
        assertThat(first.status().active()).isFalse();
    }
}
