package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.spring.autoconfigure.ReactiveWatchers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.ConfigurableApplicationContext;

class ConsumerTest {

    @TempDir
    Path dir;

    @Test
    void thePlainLibraryDeliversATick() throws Exception {
        TickResult<Void> first = PlainLibrary.firstTickFor(dir);
        assertNotNull(first);
        assertTrue(first.tick().changes().paths().contains(dir.toRealPath().resolve("hello.txt")), first.toString());
    }

    @Test
    void theStarterRunsAWatcherWithHealth() throws Exception {
        try (ConfigurableApplicationContext ctx = SpringApplication.run(ConsumerApplication.class,
                "--reactive-watch.watchers.docs.roots=" + dir, "--reactive-watch.watchers.docs.window=20ms",
                "--spring.main.web-application-type=none")) {
            ReactiveWatchers watchers = ctx.getBean(ReactiveWatchers.class);
            assertEquals(java.util.Set.of("docs"), watchers.names());
            assertTrue(watchers.isRunning());
            Files.writeString(dir.resolve("a.md"), "# a");
            Tick tick = ConsumerApplication.SEEN.poll(30, TimeUnit.SECONDS);
            assertNotNull(tick, "no tick within 30 s");
            String health = String.valueOf(ctx.getBean(HealthEndpoint.class).health().getStatus());
            assertEquals("UP", health);
        }
    }
}
