package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Outcome;
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
 * command receives. Field names, order and values follow DESIGN.md ("The rwatch command line"); other
 * programs parse them, so they only ever grow.
 */
final class EventJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private EventJson() {
    }

    static ObjectNode ready(Instant time, List<Path> roots, String backend, long trackedFiles) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "ready");
        n.put("time", time.toString());
        ArrayNode r = n.putArray("roots");
        roots.forEach(p -> r.add(p.toString()));
        n.put("backend", backend);
        n.put("trackedFiles", trackedFiles);
        return n;
    }

    /**
     * A tick line.
     *
     * @param startedAt  when the tick started on the wall clock
     * @param finishedAt when it finished on the wall clock
     */
    static ObjectNode tick(TickResult<CommandResult> result, Roots roots, Instant startedAt, Instant finishedAt) {
        Tick tick = result.tick();
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "tick");
        n.put("tick", tick.number());
        putTriggers(n, tick);
        n.put("startedAt", startedAt.toString());
        n.put("finishedAt", finishedAt.toString());
        n.put("durationMs", result.duration().toMillis());
        n.put("rescan", tick.changes().rescan());
        putChanges(n, tick, roots);
        n.put("outcome", outcome(result));
        CommandResult value = result.value();
        if (value != null && value.exitCode() != null) {
            n.put("exitCode", value.exitCode().intValue());
        } else {
            n.putNull("exitCode");
        }
        return n;
    }

    static ObjectNode error(Instant time, String message) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "error");
        n.put("time", time.toString());
        n.put("message", message);
        return n;
    }

    static ObjectNode stopped(Instant time, int pendingChanges) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", "stopped");
        n.put("time", time.toString());
        n.put("pendingChanges", pendingChanges);
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

    /**
     * The tick's outcome as rwatch reports it: a command that ran and exited non-zero, or could not start,
     * is {@code failed} although the reconcile itself completed (rwatch does not retry a failing command).
     */
    static String outcome(TickResult<CommandResult> result) {
        if (result.outcome() == Outcome.OK && result.value() != null && !result.value().succeeded()) {
            return Outcome.FAILED.wireName();
        }
        return result.outcome().wireName();
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
