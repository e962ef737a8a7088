package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the starter gives the sample once it has the actuator and exposes it in {@code application.yml}: the
 * watcher's health, the {@code watch} endpoint, and its meters on {@code /actuator/prometheus}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT20S") // as long as Await waits: builds share a small machine
@DirtiesContext
class ActuatorTest {

    /** A tick of the watcher {@code lines} caused by a file change, counted at least once, ended ok. */
    private static final Pattern WATCH_TICKS = Pattern.compile(
            "reactive_watch_ticks_total\\{[^}]*outcome=\"ok\"[^}]*trigger=\"watch\"[^}]*watcher=\"lines\"[^}]*} [1-9]");

    @TempDir
    static Path root;
    @TempDir
    static Path stateDir;

    @DynamicPropertySource
    static void watch(DynamicPropertyRegistry registry) {
        registry.add("reactive-watch.watchers.lines.roots", () -> root.toString());
        registry.add("reactive-watch.watchers.lines.state-file", () -> stateDir.resolve("state.json").toString());
        registry.add("reactive-watch.watchers.lines.tick-on-start", () -> "false");
        registry.add("line-count.simulated-work", () -> "0ms");
    }

    @Autowired
    WebTestClient client;

    private String prometheus() {
        return client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void healthShowsTheWatcherUpWithItsRoot() throws IOException {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.watch.components.lines.status").isEqualTo("UP")
                .jsonPath("$.components.watch.components.lines.details.roots[0]").isEqualTo(root.toRealPath().toString());
    }

    @Test
    void theWatchEndpointShowsTheWatcherAndRunsAManualTick() {
        client.get().uri("/actuator/watch").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.lines.active").isEqualTo(true)
                .jsonPath("$.lines.coalescing").isEqualTo("window");
        client.post().uri("/actuator/watch/lines").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.outcome").isEqualTo("ok")
                .jsonPath("$.triggers[0]").isEqualTo("manual");
    }

    @Test
    void aTickOfAChangedFileReachesPrometheusTaggedWithTheWatcherName() throws IOException {
        Files.writeString(root.resolve("counted.txt"), "one\ntwo\n");
        Await.until("a watch tick of the watcher 'lines' on /actuator/prometheus",
                () -> WATCH_TICKS.matcher(prometheus()).find());
        assertThat(prometheus())
                .contains("reactive_watch_tick_duration_seconds_count{")
                .containsPattern("reactive_watch_tracked_files\\{watcher=\"lines\"} [1-9]")
                .containsPattern("reactive_watch_events_total\\{watcher=\"lines\"} [1-9]");
    }
}
