package io.reactivewatch.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.micrometer.ReconcileDaemonMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.FileSystemUtils;
import reactor.core.publisher.Mono;

class ReactiveWatchActuatorAutoConfigurationTest {

    @TempDir
    Path root;

    private ApplicationContextRunner runner() {
        return runner(tick -> Mono.empty());
    }

    private ApplicationContextRunner runner(Reconciler<?> reconciler) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ReactiveWatchAutoConfiguration.class,
                        ReactiveWatchMetricsAutoConfiguration.class, ReactiveWatchHealthAutoConfiguration.class,
                        ReactiveWatchEndpointAutoConfiguration.class))
                .withBean("docs", Reconciler.class, () -> reconciler)
                .withPropertyValues("reactive-watch.watchers.docs.roots=" + root);
    }

    private ApplicationContextRunner failing() {
        return runner(tick -> Mono.error(new IllegalStateException("boom")))
                .withPropertyValues("reactive-watch.watchers.docs.retry.policy=none");
    }

    private static void tick(AssertableApplicationContext context) {
        context.getBean(ReactiveWatchers.class).daemon("docs").tickNow().block(Duration.ofSeconds(10));
    }

    private static HealthIndicator health(AssertableApplicationContext context) {
        return (HealthIndicator) context.getBean("watchHealthContributor", CompositeHealthContributor.class)
                .getContributor("docs");
    }

    /** Spring Boot's metrics auto-configuration: a registry (simple, unless another is defined) binding meter binders. */
    private static ApplicationContextRunner withMeterRegistry(ApplicationContextRunner runner) {
        return runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));
    }

    @Test
    void metersAreBoundOnlyWhenThereIsAMeterRegistry() {
        runner().run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(MeterBinder.class));
        withMeterRegistry(runner())
                .run(context -> {
                    tick(context);
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("reactive.watch.events").tag("watcher", "docs").functionCounter().count())
                            .isZero();
                    assertThat(registry.get("reactive.watch.ticks").tags("watcher", "docs", "outcome", "ok",
                            "trigger", "manual").counter().count()).isEqualTo(1);
                });
    }

    @Test
    void theTickDurationTimerPublishesNoHistogramUnlessAskedTo() {
        String unasked = scrapeAfterATick(withMeterRegistry(runner()));
        assertThat(unasked).contains("reactive_watch_tick_duration_seconds_count{")
                .doesNotContain("reactive_watch_tick_duration_seconds_bucket");
        String asked = scrapeAfterATick(withMeterRegistry(runner()).withPropertyValues(
                "management.metrics.distribution.percentiles-histogram.reactive.watch.tick.duration=true"));
        assertThat(asked).contains("reactive_watch_tick_duration_seconds_bucket{");
    }

    /** What Prometheus would scrape once one manual tick has finished. */
    private static String scrapeAfterATick(ApplicationContextRunner runner) {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        runner.withBean(PrometheusMeterRegistry.class, () -> prometheus).run(context -> {
            assertThat(context).hasNotFailed();
            tick(context);
        });
        return prometheus.scrape();
    }

    @Test
    void eachTickIsAnObservationWhenThereIsAnObservationRegistry() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        runner().withBean(TestObservationRegistry.class, () -> observations).run(context -> {
            tick(context);
            TestObservationRegistryAssert.assertThat(observations).hasSingleObservationThat()
                    .hasNameEqualTo("reactive.watch.tick").hasLowCardinalityKeyValue("watcher", "docs");
        });
    }

    @Test
    void aWatchingWatcherIsUpWithDetailsFromItsStatus() {
        runner().run(context -> {
            var h = health(context).health(true);
            assertThat(h.getStatus()).isEqualTo(Status.UP);
            assertThat(h.getDetails()).containsEntry("backend", "native").containsEntry("pendingChanges", 0)
                    .containsKey("roots");
        });
    }

    @Test
    void aHeldWatcherStaysUpAndNamesItsHolds() {
        runner().run(context -> {
            try (var hold = context.getBean(ReactiveWatchers.class).daemon("docs").hold("deploying")) {
                var h = health(context).health(true);
                assertThat(h.getStatus()).isEqualTo(Status.UP);
                assertThat(h.getDetails()).containsEntry("holds", java.util.List.of("deploying"));
            }
            assertThat(health(context).health(true).getDetails()).doesNotContainKey("holds");
        });
    }

    @Test
    void aWatcherIsDownOnceConsecutiveFailuresPassTheLimit() {
        failing().withPropertyValues("reactive-watch.watchers.docs.health.max-consecutive-failures=1")
                .run(context -> {
                    tick(context);
                    assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                    tick(context);
                    var h = health(context).health(true);
                    assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(h.getDetails()).containsEntry("lastError", "IllegalStateException: boom")
                            .containsEntry("reason", "2 ticks failed in a row (more than 1)");
                });
    }

    @Test
    void aWatcherWhoseRootIsMovedAwayIsDownUntilADirectoryIsThereAgain() throws Exception {
        Path watched = Files.createDirectory(root.resolve("watched"));
        Path moved = root.resolve("moved");
        runner().withPropertyValues("reactive-watch.watchers.docs.roots=" + watched,
                "reactive-watch.watchers.docs.scan-interval=100ms").run(context -> {
                    assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                    Files.move(watched, moved);
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        var h = health(context).health(true);
                        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(h.getDetails()).containsEntry("reason", "a watch root is lost");
                        assertThat((String) h.getDetails().get("backendError")).contains("watch root deleted");
                    });
                    Files.move(moved, watched);
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertThat(health(context).health().getStatus()).isEqualTo(Status.UP));
                });
    }

    @Test
    void aWatcherWhoseStateCannotBePersistedIsDownUntilAWriteSucceeds() throws Exception {
        Path watched = Files.createDirectory(root.resolve("watched"));
        Path stateDir = Files.createDirectory(root.resolve("state"));
        runner().withPropertyValues("reactive-watch.watchers.docs.roots=" + watched,
                "reactive-watch.watchers.docs.state-file=" + stateDir.resolve("docs.json"),
                "reactive-watch.watchers.docs.window=20ms").run(context -> {
                    assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                    // The directory of the state file becomes a regular file: every later write fails.
                    FileSystemUtils.deleteRecursively(stateDir);
                    Files.writeString(stateDir, "not a directory");
                    Files.writeString(watched.resolve("a.md"), "# a");
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        var h = health(context).health(true);
                        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(h.getDetails()).containsEntry("reason", "state cannot be persisted");
                        assertThat((String) h.getDetails().get("lastError")).startsWith("could not persist state");
                    });
                    Files.delete(stateDir);
                    Files.createDirectory(stateDir);
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        assertThat(health(context).health().getStatus()).isEqualTo(Status.UP);
                        assertThat(context.getBean(ReactiveWatchers.class).daemon("docs").status().tickCount())
                                .as("the tick held back while its changes could not be recorded has run")
                                .isEqualTo(1);
                    });
                });
    }

    @Test
    void aStoppedWatcherIsOutOfService() {
        runner().run(context -> {
            context.getBean(ReactiveWatchers.class).stop();
            assertThat(health(context).health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        });
    }

    @Test
    void withoutActuatorTheWatcherStillRunsAndTheHealthAndEndpointConfigurationsBackOff() {
        // The classes the conditions look for, not whole packages: this runner registers the configurations as
        // classes, so Spring reads their annotations by reflection and would still look for condition classes
        // (an application reads auto-configurations with ASM and skips annotations whose types are missing).
        runner().withClassLoader(new FilteredClassLoader(HealthContributor.class, Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=watch")
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean("watchHealthContributor")
                            .doesNotHaveBean(WatchEndpoint.class);
                    assertThat(context.getBean(ReactiveWatchers.class).daemon("docs").status().active()).isTrue();
                });
    }

    @Test
    void withoutMicrometerTheWatcherStillRunsAndTheMetricsConfigurationBacksOff() {
        withMeterRegistry(runner()).withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(MeterRegistry.class)
                    .doesNotHaveBean("reactiveWatchMeterBinder");
            assertThat(context.getBean(ReactiveWatchers.class).daemon("docs").status().active()).isTrue();
        });
    }

    @Test
    void withoutReactiveWatchMicrometerNoMetersAreBoundEvenWithARegistry() {
        withMeterRegistry(runner()).withClassLoader(new FilteredClassLoader(ReconcileDaemonMetrics.class.getPackageName()))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(MeterRegistry.class)
                            .doesNotHaveBean("reactiveWatchMeterBinder");
                    tick(context);
                    assertThat(context.getBean(MeterRegistry.class).find("reactive.watch.ticks").counter()).isNull();
                });
    }

    @Test
    void aHealthContributorOfTheApplicationNamedWatchHealthContributorWins() {
        HealthIndicator own = () -> Health.up().withDetail("own", true).build();
        runner().withBean("watchHealthContributor", HealthIndicator.class, () -> own)
                .run(context -> assertThat(context.getBean("watchHealthContributor")).isSameAs(own));
    }

    @Test
    void aWatchEndpointOfTheApplicationWins() {
        runner().withUserConfiguration(OwnEndpoint.class)
                .withPropertyValues("management.endpoints.web.exposure.include=watch")
                .run(context -> assertThat(context.getBeansOfType(WatchEndpoint.class)).containsOnlyKeys("ownEndpoint"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEndpoint {
        @Bean
        WatchEndpoint ownEndpoint(ReactiveWatchers watchers) {
            return new WatchEndpoint(watchers);
        }
    }

    @Test
    void theHealthIndicatorCanBeSwitchedOff() {
        runner().withPropertyValues("management.health.watch.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("watchHealthContributor"));
    }

    @Test
    void theEndpointExistsOnlyWhenExposed() {
        runner().run(context -> assertThat(context).doesNotHaveBean(WatchEndpoint.class));
        runner().withPropertyValues("management.endpoints.web.exposure.include=watch").run(context -> {
            WatchEndpoint endpoint = context.getBean(WatchEndpoint.class);
            assertThat(endpoint.watchers()).containsOnlyKeys("docs");
            assertThat(endpoint.watcher("docs").getBody().active()).isTrue();
            assertThat(endpoint.watcher("nope").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
            WatchEndpoint.TickReport report = endpoint.tick("docs").getBody();
            assertThat(report.outcome()).isEqualTo("ok");
            assertThat(report.triggers()).containsExactly("manual");
            assertThat(endpoint.tick("nope").getStatus()).isEqualTo(WebEndpointResponse.STATUS_NOT_FOUND);
        });
    }

    @Test
    void aManualTickOnAStoppedWatcherIsServiceUnavailable() {
        runner().withPropertyValues("management.endpoints.web.exposure.include=watch").run(context -> {
            context.getBean(ReactiveWatchers.class).stop();
            assertThat(context.getBean(WatchEndpoint.class).tick("docs").getStatus())
                    .isEqualTo(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
        });
    }
}
