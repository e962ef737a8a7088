package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * A client that connects after ticks happened starts with them: the ticks run with no client connected, then
 * one connects, and its first events are the last {@value RecentTicks#SIZE} of them, oldest first. No file
 * changes under the root, so every tick is the start-up tick or one of the test's manual ticks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT20S") // as long as Await waits: builds share a small machine
@DirtiesContext
class TickReplayTest {

    private static final ParameterizedTypeReference<ServerSentEvent<TickView>> TICK_EVENT =
            new ParameterizedTypeReference<>() { };
    private static final ParameterizedTypeReference<ServerSentEvent<String>> ANY_EVENT =
            new ParameterizedTypeReference<>() { };

    @TempDir
    static Path root;
    @TempDir
    static Path stateDir;

    @DynamicPropertySource
    static void watch(DynamicPropertyRegistry registry) {
        registry.add("reactive-watch.watchers.lines.roots", () -> root.toString());
        registry.add("reactive-watch.watchers.lines.state-file", () -> stateDir.resolve("state.json").toString());
        registry.add("reactive-watch.watchers.lines.tick-on-start", () -> "true");
        registry.add("line-count.simulated-work", () -> "0ms");
    }

    @Autowired
    WebTestClient client;

    private Flux<TickView> ticks() {
        return client.get().uri("/watch/ticks").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(TICK_EVENT)
                .getResponseBody()
                .filter(e -> e.data() != null)
                .map(ServerSentEvent::data);
    }

    /** The first {@code n} ticks a client that connects now receives; the take ends its connection. */
    private List<Long> firstTicks(int n) {
        List<TickView> first = ticks().take(n).collectList().block(Await.DEADLINE);
        assertThat(first).hasSize(n);
        return first.stream().map(TickView::tick).toList();
    }

    private long manualTick() {
        return client.post().uri("/watch/tick").exchange()
                .expectStatus().isOk()
                .expectBody(TickView.class).returnResult().getResponseBody().tick();
    }

    /** Runs {@code n} manual ticks one after the other, with no client connected; returns their numbers. */
    private List<Long> manualTicks(int n) {
        List<Long> numbers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            numbers.add(manualTick());
        }
        return numbers;
    }

    private long tickCount() {
        return client.get().uri("/watch/status").exchange()
                .expectStatus().isOk()
                .expectBody(DaemonStatusCount.class).returnResult().getResponseBody().tickCount();
    }

    /** The one field of the status these tests read. */
    record DaemonStatusCount(long tickCount) {
    }

    @Test
    void aClientThatConnectsLateStartsWithTheLastTicksThenGetsTheNewOnes() {
        // The start-up tick ran before any client could connect, and was kept.
        Await.until("the start-up tick", () -> tickCount() >= 1);
        List<TickView> startup = ticks().take(1).collectList().block(Await.DEADLINE);
        assertThat(startup).singleElement().satisfies(t -> assertThat(t.triggers()).contains("startup"));

        // More ticks than are kept, none of them seen by a client: the oldest are dropped.
        List<Long> ran = manualTicks(RecentTicks.SIZE + 3);
        List<Long> kept = ran.subList(ran.size() - RecentTicks.SIZE, ran.size());
        assertThat(firstTicks(RecentTicks.SIZE)).containsExactlyElementsOf(kept);

        // The same again for a second late client, then a new tick follows the recorded ones.
        List<TickView> seen = new CopyOnWriteArrayList<>();
        Disposable stream = ticks().subscribe(seen::add);
        try {
            Await.until(RecentTicks.SIZE + " recorded ticks", () -> seen.size() >= RecentTicks.SIZE);
            long next = manualTick();
            Await.until("the new tick " + next, () -> seen.size() > RecentTicks.SIZE);
            assertThat(seen).extracting(TickView::tick).startsWith(kept.toArray(Long[]::new))
                    .element(RecentTicks.SIZE).isEqualTo(next);
        } finally {
            stream.dispose();
        }
    }

    @Test
    void thePageStreamReplaysTheLastTicksBesideAStatusThatCountsThem() {
        List<Long> ran = manualTicks(3);
        long count = tickCount();

        List<ServerSentEvent<String>> events = client.get().uri("/watch/stream").accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus().isOk()
                .returnResult(ANY_EVENT)
                .getResponseBody()
                .takeUntil(e -> "replay".equals(e.event()) && e.id().equals(Long.toString(ran.get(2))))
                .collectList().block(Await.DEADLINE);

        assertThat(events).isNotEmpty();
        assertThat(events.get(0).event()).as("the page's first event").isEqualTo("status");
        assertThat(JsonMapper.builder().build().readTree(events.get(0).data()).get("tickCount").asLong())
                .isEqualTo(count);
        assertThat(events).filteredOn(e -> "tick".equals(e.event())).as("live ticks").isEmpty();
        List<String> replayed = events.stream().filter(e -> "replay".equals(e.event())).map(ServerSentEvent::id).toList();
        assertThat(replayed).hasSizeLessThanOrEqualTo(RecentTicks.SIZE)
                .endsWith(ran.stream().map(String::valueOf).toArray(String[]::new));
    }
}
