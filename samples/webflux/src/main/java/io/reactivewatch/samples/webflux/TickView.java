package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A tick result as JSON, for {@code /watch/ticks}, {@code /watch/stream} and {@code POST /watch/tick}.
 *
 * @param tick          the tick number
 * @param triggers      why it ran ({@code watch}, {@code manual}, ...)
 * @param startedAt     when the reconcile started
 * @param finishedAt    when it ended
 * @param durationMs    how long it ran
 * @param rescan        whether the change set carries a rescan marker
 * @param changeCount   how many paths changed
 * @param changes       the first {@link #MAX_CHANGES} changes
 * @param outcome       {@code ok}, {@code failed}, {@code timed-out} or {@code cancelled}
 * @param error         the failure's message, or {@code null}
 * @param result        what the reconciler counted, or {@code null} if it did not finish
 */
record TickView(long tick, List<String> triggers, Instant startedAt, Instant finishedAt, long durationMs,
        boolean rescan, int changeCount, List<ChangeView> changes, String outcome, String error, LineCount result) {

    /** More changes than this are counted, not listed: one tick may hold tens of thousands. */
    static final int MAX_CHANGES = 200;

    /**
     * One changed path.
     *
     * @param path the absolute path
     * @param kind {@code created}, {@code modified} or {@code deleted}
     * @param type {@code file} or {@code dir}
     */
    record ChangeView(String path, String kind, String type) {
    }

    /** The view of a result; {@code result} is the {@link LineCount} when the reconciler returned one. */
    static TickView of(TickResult<?> r) {
        List<String> triggers = new ArrayList<>();
        for (Trigger t : Trigger.values()) {
            if (r.tick().triggers().contains(t)) {
                triggers.add(t.wireName());
            }
        }
        List<Change> all = r.tick().changes().changes();
        List<ChangeView> changes = new ArrayList<>();
        for (Change c : all.subList(0, Math.min(MAX_CHANGES, all.size()))) {
            changes.add(new ChangeView(c.path().toString(), c.kind().wireName(), c.type().wireName()));
        }
        String error = r.error() == null ? null
                : r.error().getMessage() != null ? r.error().getMessage() : r.error().getClass().getName();
        return new TickView(r.tick().number(), triggers, r.startedAt(), r.finishedAt(), r.duration().toMillis(),
                r.tick().changes().rescan(), all.size(), changes, r.outcome().wireName(), error,
                r.value() instanceof LineCount count ? count : null);
    }
}
