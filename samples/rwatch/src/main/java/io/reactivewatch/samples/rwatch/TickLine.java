package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.util.List;
import java.util.StringJoiner;

/**
 * The human-readable line rwatch prints per tick, such as
 * {@code rwatch: tick 3 [watch] 12 changes (+10 ~1 -1) in 4 ms | a.txt, b.txt, c.txt +9 more}.
 */
final class TickLine {

    private static final int PATHS_SHOWN = 3;

    private TickLine() {
    }

    static String format(TickResult<CommandResult> result, Roots roots) {
        StringBuilder sb = new StringBuilder("rwatch: tick ").append(result.tick().number()).append(' ');
        StringJoiner triggers = new StringJoiner(",", "[", "]");
        for (Trigger t : Trigger.values()) {
            if (result.tick().triggers().contains(t)) {
                triggers.add(t.wireName());
            }
        }
        sb.append(triggers).append(' ');
        List<Change> changes = result.tick().changes().changes();
        int created = 0;
        int modified = 0;
        int deleted = 0;
        for (Change c : changes) {
            switch (c.kind()) {
                case CREATED:
                    created++;
                    break;
                case MODIFIED:
                    modified++;
                    break;
                default:
                    deleted++;
            }
        }
        if (changes.isEmpty()) {
            sb.append("no changes");
        } else {
            sb.append(changes.size()).append(changes.size() == 1 ? " change" : " changes")
                    .append(" (+").append(created).append(" ~").append(modified).append(" -").append(deleted)
                    .append(')');
        }
        if (result.outcome() != Outcome.OK) {
            sb.append(", ").append(result.outcome().wireName()).append(" after ");
        } else {
            sb.append(" in ");
        }
        sb.append(result.duration().toMillis()).append(" ms");
        CommandResult command = CommandResult.of(result);
        if (command != null) {
            if (command.failure() != null) {
                sb.append(": ").append(command.failure());
            } else {
                sb.append(", exit ").append(command.exitCode());
            }
        } else if (result.outcome() == Outcome.TIMED_OUT) {
            sb.append(" (--timeout)");
        } else if (result.error() != null) {
            sb.append(": ").append(result.error().getMessage() != null ? result.error().getMessage()
                    : result.error().getClass().getName());
        }
        if (!changes.isEmpty()) {
            sb.append(" | ");
            StringJoiner paths = new StringJoiner(", ");
            for (int i = 0; i < Math.min(PATHS_SHOWN, changes.size()); i++) {
                paths.add(roots.label(changes.get(i).path()));
            }
            sb.append(paths);
            if (changes.size() > PATHS_SHOWN) {
                sb.append(" +").append(changes.size() - PATHS_SHOWN).append(" more");
            }
        }
        return sb.toString();
    }
}
