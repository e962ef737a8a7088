package io.reactivewatch.spring.autoconfigure.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The README's Spring Boot application over HTTP: health shows the watcher, the {@code watch} endpoint answers
 * and ticks, meters reach Prometheus. Its properties ({@code application.properties}) and its reconciler are
 * the README's blocks, checked here.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "management.endpoint.health.show-details=always")
class DocsApplicationHttpTest {

    @TempDir
    static Path content;

    @DynamicPropertySource
    static void watchTheTemporaryDirectory(DynamicPropertyRegistry registry) {
        registry.add("reactive-watch.watchers.docs.roots", () -> content.toString());
        registry.add("reactive-watch.watchers.docs.state-file", () -> content.resolve(".docs-watch.json").toString());
        registry.add("reactive-watch.watchers.docs.settle", () -> "20ms");
    }

    @LocalServerPort
    int port;

    @Autowired
    DocsApplication.SearchIndex index;

    private WebTestClient http() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @Test
    void healthShowsTheWatcherUpWithItsRoot() throws IOException {
        http().get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.watch.components.docs.status").isEqualTo("UP")
                .jsonPath("$.components.watch.components.docs.details.roots[0]")
                .isEqualTo(content.toRealPath().toString());
    }

    @Test
    void theWatchEndpointShowsStatusAndRunsAManualTick() {
        http().get().uri("/actuator/watch").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.docs.active").isEqualTo(true).jsonPath("$.docs.coalescing").isEqualTo("settle");
        http().get().uri("/actuator/watch/docs").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.busyPolicy").isEqualTo("queue");
        http().get().uri("/actuator/watch/nope").exchange().expectStatus().isNotFound();
        http().post().uri("/actuator/watch/docs").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.outcome").isEqualTo("ok").jsonPath("$.triggers[0]").isEqualTo("manual");
    }

    @Test
    void aChangedFileIsReconciledAndItsTickReachesPrometheus() throws IOException {
        Files.writeString(content.resolve("guide.md"), "# guide");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> index.indexed.stream().anyMatch(p -> p.endsWith("guide.md")));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http().get()
                .uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody())
                .containsPattern("reactive_watch_ticks_total\\{[^}]*outcome=\"ok\"[^}]*trigger=\"watch\"[^}]*watcher=\"docs\"")
                .contains("reactive_watch_tick_duration_seconds_count{")
                .containsPattern("reactive_watch_tracked_files\\{watcher=\"docs\"\\} [1-9]"));
    }

    @Test
    void theReadmeShowsThisApplication() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String properties = Files.readString(Path.of("src/test/resources/application.properties"));
        assertThat(block(readme, "spring-boot-properties", "properties")).isEqualTo(properties.strip());
        String self = Files.readString(
                Path.of("src/test/java/io/reactivewatch/spring/autoconfigure/app/DocsApplication.java"));
        Matcher code = Pattern.compile("// README:spring-boot\\n(.*?)// README:end", Pattern.DOTALL).matcher(self);
        assertThat(code.find()).isTrue();
        assertThat(block(readme, "spring-boot", "java")).isEqualTo(code.group(1).stripIndent().strip());
    }

    private static String block(String readme, String name, String language) {
        Matcher m = Pattern.compile("<!-- snippet:" + name + " -->\\s*```" + language + "\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(m.find()).as("README has a %s block marked <!-- snippet:%s -->", language, name).isTrue();
        return m.group(1).replace("\r", "").stripIndent().strip();
    }
}
