package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT20S") // as long as Await waits: builds share a small machine
@DirtiesContext
class WatchControllerTest {

    private static final ParameterizedTypeReference<ServerSentEvent<TickView>> TICK_EVENT =
            new ParameterizedTypeReference<>() { };

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

    private Flux<TickView> tickStream() {
        return client.get().uri("/watch/ticks").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(TICK_EVENT)
                .getResponseBody()
                .filter(e -> e.data() != null)
                .map(ServerSentEvent::data);
    }

    private TickView manualTick() {
        return client.post().uri("/watch/tick").exchange()
                .expectStatus().isOk()
                .expectBody(TickView.class).returnResult().getResponseBody();
    }

    @Test
    void writingFilesYieldsTickEventsWithThosePaths() throws IOException {
        List<TickView> seen = new CopyOnWriteArrayList<>();
        Disposable stream = tickStream().subscribe(seen::add);
        try {
            // The stream is hot: a manual tick that arrives on it proves it is subscribed.
            Await.until("the stream to carry a manual tick", () -> {
                if (seen.stream().noneMatch(t -> t.triggers().contains("manual"))) {
                    manualTick();
                }
                return seen.stream().anyMatch(t -> t.triggers().contains("manual"));
            });
            Path a = Files.writeString(root.resolve("a.txt"), "one\ntwo\n");
            Path b = Files.writeString(Files.createDirectories(root.resolve("sub")).resolve("b.txt"), "three\n");

            Set<String> expected = Set.of(a.toRealPath().toString(), b.toRealPath().toString());
            Await.until("ticks with " + expected, () -> pathsIn(seen).containsAll(expected));

            List<TickView> watchTicks = seen.stream().filter(t -> t.triggers().contains("watch")).toList();
            assertThat(watchTicks).isNotEmpty().allSatisfy(t -> {
                assertThat(t.outcome()).isEqualTo("ok");
                assertThat(t.result()).isNotNull();
            });
            assertThat(watchTicks.stream().mapToLong(t -> t.result().lines()).sum()).as("lines counted").isEqualTo(3);
        } finally {
            stream.dispose();
        }
    }

    private static Set<String> pathsIn(List<TickView> ticks) {
        Set<String> paths = new HashSet<>();
        ticks.forEach(t -> t.changes().forEach(c -> paths.add(c.path())));
        return paths;
    }

    @Test
    void statusHasEveryFieldWithItsType() throws IOException {
        Instant before = Instant.now();
        client.get().uri("/watch/status").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.active").isEqualTo(true)
                .jsonPath("$.watchPaths[0]").isEqualTo(root.toRealPath().toString())
                .jsonPath("$.backend").isEqualTo("native")
                .jsonPath("$.backendError").hasJsonPath()
                .jsonPath("$.coalescing").isEqualTo("window")
                .jsonPath("$.coalesceWindow").isEqualTo(50)
                .jsonPath("$.maxWait").hasJsonPath()
                .jsonPath("$.maxBatch").hasJsonPath()
                .jsonPath("$.maxBatch").isEmpty()
                .jsonPath("$.pollInterval").hasJsonPath()
                .jsonPath("$.tickInterval").hasJsonPath()
                .jsonPath("$.busyPolicy").isEqualTo("queue")
                .jsonPath("$.retry").isEqualTo("backoff(1000ms..60000ms)")
                .jsonPath("$.tickInFlight").isBoolean()
                .jsonPath("$.pendingRerun").isBoolean()
                .jsonPath("$.pendingChanges").isNumber()
                .jsonPath("$.eventsSeen").isNumber()
                .jsonPath("$.batchesSeen").isNumber()
                .jsonPath("$.coalescedEvents").isNumber()
                .jsonPath("$.droppedChanges").isNumber()
                .jsonPath("$.lastEventAt").hasJsonPath()
                .jsonPath("$.rescans").isNumber()
                .jsonPath("$.tickCount").isNumber()
                .jsonPath("$.lastTickAt").hasJsonPath()
                .jsonPath("$.lastTickTrigger").isArray()
                .jsonPath("$.lastTickDuration").hasJsonPath()
                .jsonPath("$.lastTickChanges").isNumber()
                .jsonPath("$.lastOutcome").hasJsonPath()
                .jsonPath("$.consecutiveFailures").isNumber()
                .jsonPath("$.lastError").hasJsonPath()
                .jsonPath("$.trackedFiles").isNumber()
                .jsonPath("$.startedAt").value(String.class, started ->
                        // A wall-clock instant, not one counted from an arbitrary origin.
                        assertThat(Duration.between(Instant.parse(started), before).abs()).isLessThan(Duration.ofHours(1)));
    }

    @Test
    void aManualTickRunsAndAnswersWithItsResult() {
        TickView tick = manualTick();
        assertThat(tick.triggers()).contains("manual");
        assertThat(tick.outcome()).isEqualTo("ok");
        assertThat(tick.result()).isNotNull();
        assertThat(tick.finishedAt()).isAfterOrEqualTo(tick.startedAt());
        assertThat(Duration.between(tick.finishedAt(), Instant.now()).abs()).isLessThan(Duration.ofMinutes(5));
    }

    @Test
    void thePageIsServedAtTheRootAndListensToTheStream() {
        client.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html).contains("reactive-watch", "app.js"));
        client.get().uri("/app.js").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(js -> assertThat(js).contains("new EventSource('watch/stream')",
                        "addEventListener('replay'", "addEventListener('tick'", "addEventListener('status'"));
    }

    @Test
    void theStreamForThePageCarriesStatusAndTicks() {
        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        Disposable stream = client.get().uri("/watch/stream").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .getResponseBody().subscribe(events::add);
        try {
            Await.until("a status event", () -> events.stream().anyMatch(e -> "status".equals(e.event())));
            Await.until("a tick event", () -> {
                if (events.stream().noneMatch(e -> "tick".equals(e.event()))) {
                    manualTick();
                }
                return events.stream().anyMatch(e -> "tick".equals(e.event()));
            });
        } finally {
            stream.dispose();
        }
    }
}
