package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<String> problems = new ArrayList<>();
    private final EventLog log = EventLog.to(bytes, problems::add);

    private List<String> types() {
        List<String> types = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isEmpty()) {
                types.add(EventJson.MAPPER.readTree(line).get("type").asString());
            }
        }
        return types;
    }

    @Test
    void writesOneFlushedJsonObjectPerLine() {
        log.ready(EventJson.ready(T, List.of(Path.of("/r")), "native", 1, 0));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).endsWith("}\n");
        log.event(EventJson.error(T, "x"));
        log.stopped(EventJson.stopped(T, 0));
        assertThat(types()).containsExactly("ready", "error", "stopped");
    }

    @Test
    void linesFinishedBeforeReadyAreWrittenRightAfterIt() {
        log.event(EventJson.error(T, "early"));
        assertThat(bytes.size()).isZero();
        log.ready(EventJson.ready(T, List.of(), "native", 0, 0));
        assertThat(types()).containsExactly("ready", "error");
    }

    @Test
    void nothingIsWrittenAfterStopped() {
        log.ready(EventJson.ready(T, List.of(), "native", 0, 0));
        log.stopped(EventJson.stopped(T, 0));
        log.event(EventJson.error(T, "late"));
        log.stopped(EventJson.stopped(T, 0));
        assertThat(types()).containsExactly("ready", "stopped");
    }

    @Test
    void aRunThatNeverBecameReadyWritesNothing() {
        log.event(EventJson.error(T, "early"));
        log.stopped(EventJson.stopped(T, 0));
        assertThat(bytes.size()).isZero();
    }

    @Test
    void aDisabledLogWritesNothingAndNeverFails() {
        EventLog off = EventLog.disabled();
        off.ready(EventJson.ready(T, List.of(), "native", 0, 0));
        off.event(EventJson.error(T, "x"));
        off.stopped(EventJson.stopped(T, 0));
        off.close();
    }

    @Test
    void aBrokenOutputIsReportedOnceAndThenIgnored() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        EventLog l = EventLog.to(broken, problems::add);
        l.ready(EventJson.ready(T, List.of(), "native", 0, 0));
        l.event(EventJson.error(T, "x"));
        l.stopped(EventJson.stopped(T, 0));
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("Broken pipe");
    }

    @Test
    void aFileLogIsTruncatedAndClosed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("events.jsonl"), "old content\n");
        try (EventLog l = EventLog.toFile(file, problems::add)) {
            l.ready(EventJson.ready(T, List.of(), "polling", 0, 0));
        }
        assertThat(Files.readAllLines(file)).hasSize(1).allMatch(s -> s.startsWith("{\"type\":\"ready\""));
    }
}
