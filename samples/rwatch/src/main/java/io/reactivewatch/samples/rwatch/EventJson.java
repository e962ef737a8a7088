package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON objects of rwatch's public output: the {@code --events-json} lines and the change-set file the
 * command receives. Field names, order and values follow docs/design.md ("The rwatch command line"); other
 * programs parse them, so they only ever grow.
 */
final class EventJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private EventJson() {
    }

    static ObjectNode ready(Instant time, List<Path> roots, String backend, long trackedFiles,
            long trackedDirectories) {
        ObjectNode n = event("ready", time);
        ArrayNode r = n.putArray("roots");
        roots.forEach(p -> r.add(p.toString()));
        n.put("backend", backend);
        n.put("trackedFiles", trackedFiles);
        n.put("trackedDirectories", trackedDirectories);
        return n;
    }

    /**
     * A tick line: its times are the daemon's, its outcome is the core's ({@code failed} for a command that
     * exited non-zero or could not start), its exit code the command's.
     */
    static ObjectNode tick(TickResult<CommandResult> result, Roots roots) {
        Tick tick = result.tick();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "tick");
        n.put("tick", tick.number());
        putTriggers(n, tick);
        n.put("startedAt", result.startedAt().toString());
        n.put("finishedAt", result.finishedAt().toString());
        n.put("durationMs", result.duration().toMillis());
        n.put("rescan", tick.changes().rescan());
        putChanges(n, tick, roots);
        n.put("outcome", result.outcome().wireName());
        CommandResult command = CommandResult.of(result);
        if (command != null && command.exitCode() != null) {
            n.put("exitCode", command.exitCode().intValue());
        } else {
            n.putNull("exitCode");
        }
        return n;
    }

    static ObjectNode error(Instant time, String message) {
        return event("error", time).put("message", message);
    }

    /**
     * Ticks wait for a hold (a version-control operation in the watched repository, say) while changes are
     * pending: once per hold.
     */
    static ObjectNode held(Instant time, String reason, Instant since) {
        return event("held", time).put("reason", reason).put("since", since.toString());
    }

    static ObjectNode stopped(Instant time, int pendingChanges) {
        return event("stopped", time).put("pendingChanges", pendingChanges);
    }

    /** The fields a {@code ready}, {@code held}, {@code error} and {@code stopped} line open with. */
    private static ObjectNode event(String type, Instant time) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", type);
        n.put("time", time.toString());
        return n;
    }

    /** The content of {@code RWATCH_CHANGES_FILE}: the tick's change set, changes as in the tick line. */
    static ObjectNode changesFile(Tick tick, Roots roots) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("tick", tick.number());
        putTriggers(n, tick);
        n.put("rescan", tick.changes().rescan());
        putChanges(n, tick, roots);
        return n;
    }

    static ObjectNode change(Change change, Roots roots) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("root", roots.rootOf(change.path()).toString());
        n.put("path", roots.relative(change.path()));
        n.put("kind", change.kind().wireName());
        n.put("type", change.type().wireName());
        return n;
    }

    private static void putTriggers(ObjectNode n, Tick tick) {
        ArrayNode t = n.putArray("triggers");
        for (Trigger trigger : Trigger.values()) {
            if (tick.triggers().contains(trigger)) {
                t.add(trigger.wireName());
            }
        }
    }

    private static void putChanges(ObjectNode n, Tick tick, Roots roots) {
        ArrayNode c = n.putArray("changes");
        for (Change change : tick.changes().changes()) {
            c.add(change(change, roots));
        }
    }
}
