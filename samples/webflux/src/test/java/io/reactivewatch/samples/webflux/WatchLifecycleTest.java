package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.DaemonState;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.spring.autoconfigure.ReactiveWatchers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The application's whole life: start, watch, shut down with the state persisted, start again. */
class WatchLifecycleTest {

    @TempDir
    Path root;
    @TempDir
    Path stateDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(WatchApplication.class).run(
                "--server.port=0",
                "--reactive-watch.watchers.lines.roots=" + root,
                "--reactive-watch.watchers.lines.state-file=" + stateDir.resolve("state.json"),
                "--reactive-watch.watchers.lines.tick-on-start=false",
                "--line-count.simulated-work=0ms");
    }

    private static ReconcileDaemon<?> daemon(ConfigurableApplicationContext ctx) {
        return ctx.getBean(ReactiveWatchers.class).daemon("lines");
    }

    @Test
    void shutdownStopsTheDaemonPersistsItsStateAndEndsOpenStreams() throws Exception {
        Files.writeString(root.resolve("kept.txt"), "kept\n");
        ConfigurableApplicationContext ctx = start();
        ReconcileDaemon<?> daemon = daemon(ctx);
        ReactiveWatchers watchers = ctx.getBean(ReactiveWatchers.class);
        assertThat(watchers.isRunning()).isTrue();
        assertThat(daemon.status().active()).isTrue();

        int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
        AtomicBoolean streamEnded = new AtomicBoolean();
        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        client.get().uri("/watch/ticks").accept(MediaType.TEXT_EVENT_STREAM).exchange()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .getResponseBody()
                .subscribe(events::add, e -> streamEnded.set(true), () -> streamEnded.set(true));
        Await.until("the stream to open", () -> !events.isEmpty());

        ctx.close();

        assertThat(watchers.isRunning()).isFalse();
        DaemonStatus after = daemon.status();
        assertThat(after.active()).isFalse();
        Await.until("the open tick stream to end", streamEnded::get);
        Path state = stateDir.resolve("state.json");
        assertThat(state).exists();
        JsonNode saved = tools.jackson.databind.json.JsonMapper.builder().build().readTree(state);
        assertThat(saved.get("schemaVersion").asInt()).isEqualTo(DaemonState.SCHEMA_VERSION);
        assertThat(saved.get("source").toString()).contains("kept.txt");
    }

    @Test
    void changesMadeWhileTheApplicationWasDownAreItsFirstTickAfterARestart() throws Exception {
        Files.writeString(root.resolve("a.txt"), "a\n");
        ConfigurableApplicationContext first = start();
        Await.until("the first start to track a.txt", () -> daemon(first).status().trackedFiles() >= 1);
        first.close();

        Files.writeString(root.resolve("b.txt"), "b\nb\n");
        Files.delete(root.resolve("a.txt"));

        ConfigurableApplicationContext second = start();
        try {
            ReconcileDaemon<?> daemon = daemon(second);
            Await.until("the start-up tick", () -> daemon.status().tickCount() >= 1);
            DaemonStatus s = daemon.status();
            assertThat(s.lastTickTrigger()).extracting(t -> t.wireName()).containsExactly("startup");
            assertThat(s.lastTickChanges()).isEqualTo(2);
            assertThat(s.lastOutcome().wireName()).isEqualTo("ok");
        } finally {
            second.close();
        }
    }
}
