package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class EventJsonTest {

    private static final Path ROOT = Path.of("/w/p");
    private static final Roots ROOTS = new Roots(List.of(ROOT));
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");
    private static final Instant T1 = Instant.parse("2026-01-02T03:04:05.012Z");

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.propertyNames().forEach(names::add);
        return names;
    }

    private static TickResult<CommandResult> result(Outcome outcome, CommandResult value) {
        return result(outcome, value, null);
    }

    /** A tick whose command failed: the reconcile's error carries the command's result. */
    private static TickResult<CommandResult> failed(CommandResult command) {
        return result(Outcome.FAILED, null, new CommandFailure(command));
    }

    private static TickResult<CommandResult> result(Outcome outcome, CommandResult value, Throwable error) {
        Tick tick = new Tick(4, EnumSet.of(Trigger.RESCAN, Trigger.WATCH, Trigger.STARTUP), ChangeSet.of(
                Change.modified(ROOT.resolve("src/A.java")),
                new Change(ROOT.resolve("gen"), ChangeKind.CREATED, EntryType.DIR),
                Change.deleted(ROOT.resolve("old.txt")),
                new Rescan(ROOT, "overflow")));
        return new TickResult<>(tick, outcome, value, error, T0, T1);
    }

    @Test
    void readyLineHasTheDocumentedFieldsInOrder() {
        ObjectNode n = EventJson.ready(T0, List.of(ROOT), "native", 120, 7);
        assertThat(fieldNames(n)).containsExactly("type", "time", "roots", "backend", "trackedFiles",
                "trackedDirectories");
        assertThat(n.toString()).isEqualTo(
                "{\"type\":\"ready\",\"time\":\"2026-01-02T03:04:05Z\",\"roots\":[\"/w/p\"],\"backend\":\"native\","
                        + "\"trackedFiles\":120,\"trackedDirectories\":7}");
    }

    @Test
    void tickLineHasTheDocumentedFieldsInOrder() {
        ObjectNode n = EventJson.tick(result(Outcome.OK, CommandResult.exited(0)), ROOTS);
        assertThat(fieldNames(n)).containsExactly("type", "tick", "triggers", "startedAt", "finishedAt",
                "durationMs", "rescan", "changes", "outcome", "exitCode");
        assertThat(n.get("type").asString()).isEqualTo("tick");
        assertThat(n.get("tick").asLong()).isEqualTo(4);
        assertThat(n.get("triggers").toString()).isEqualTo("[\"startup\",\"watch\",\"rescan\"]");
        assertThat(n.get("startedAt").asString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(n.get("finishedAt").asString()).isEqualTo("2026-01-02T03:04:05.012Z");
        assertThat(n.get("durationMs").asLong()).isEqualTo(12);
        assertThat(n.get("rescan").asBoolean()).isTrue();
        assertThat(n.get("outcome").asString()).isEqualTo("ok");
        assertThat(n.get("exitCode").asInt()).isZero();
    }

    @Test
    void changesAreRelativeToTheirRootWithKindAndType() {
        JsonNode changes = EventJson.tick(result(Outcome.OK, null), ROOTS).get("changes");
        assertThat(changes.toString()).isEqualTo("["
                + "{\"root\":\"/w/p\",\"path\":\"src/A.java\",\"kind\":\"modified\",\"type\":\"file\"},"
                + "{\"root\":\"/w/p\",\"path\":\"gen\",\"kind\":\"created\",\"type\":\"dir\"},"
                + "{\"root\":\"/w/p\",\"path\":\"old.txt\",\"kind\":\"deleted\",\"type\":\"file\"}]");
    }

    @Test
    void aTickWithoutACommandIsOkWithANullExitCode() {
        ObjectNode n = EventJson.tick(result(Outcome.OK, null), ROOTS);
        assertThat(n.get("outcome").asString()).isEqualTo("ok");
        assertThat(n.get("exitCode").isNull()).isTrue();
    }

    @Test
    void aCommandExitingNonZeroIsAFailedTickWithItsExitCode() {
        ObjectNode n = EventJson.tick(failed(CommandResult.exited(3)), ROOTS);
        assertThat(n.get("outcome").asString()).isEqualTo("failed");
        assertThat(n.get("exitCode").asInt()).isEqualTo(3);
    }

    @Test
    void aCommandThatCouldNotStartIsAFailedTickWithoutExitCode() {
        ObjectNode n = EventJson.tick(failed(CommandResult.notStarted("no such file")), ROOTS);
        assertThat(n.get("outcome").asString()).isEqualTo("failed");
        assertThat(n.get("exitCode").isNull()).isTrue();
    }

    @Test
    void theOutcomeIsTheCoresVerbatim() {
        for (Outcome outcome : Outcome.values()) {
            ObjectNode n = EventJson.tick(result(outcome, null), ROOTS);
            assertThat(n.get("outcome").asString()).isEqualTo(outcome.wireName());
            assertThat(n.get("exitCode").isNull()).isTrue();
        }
    }

    @Test
    void errorAndStoppedLinesHaveTheDocumentedFields() {
        assertThat(EventJson.error(T0, "boom").toString())
                .isEqualTo("{\"type\":\"error\",\"time\":\"2026-01-02T03:04:05Z\",\"message\":\"boom\"}");
        assertThat(EventJson.stopped(T0, 3).toString())
                .isEqualTo("{\"type\":\"stopped\",\"time\":\"2026-01-02T03:04:05Z\",\"pendingChanges\":3}");
    }

    @Test
    void aHeldLineNamesTheHoldAndSinceWhen() {
        assertThat(EventJson.held(T0, "git rebase in progress", Instant.parse("2026-01-02T03:04:00Z")).toString())
                .isEqualTo("{\"type\":\"held\",\"time\":\"2026-01-02T03:04:05Z\","
                        + "\"reason\":\"git rebase in progress\",\"since\":\"2026-01-02T03:04:00Z\"}");
    }

    @Test
    void theChangesFileHoldsTheTickAndTheSameChangeObjectsAsTheTickLine() {
        TickResult<CommandResult> r = result(Outcome.OK, null);
        ObjectNode file = EventJson.changesFile(r.tick(), ROOTS);
        assertThat(fieldNames(file)).containsExactly("tick", "triggers", "rescan", "changes");
        assertThat(file.get("changes")).isEqualTo(EventJson.tick(r, ROOTS).get("changes"));
    }
}
