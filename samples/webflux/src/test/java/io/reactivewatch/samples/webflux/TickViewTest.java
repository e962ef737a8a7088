package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.Outcome;
import io.reactivewatch.core.Rescan;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickViewTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void showsTheTickWithWireNamesInTriggerOrder() {
        Tick tick = new Tick(5, EnumSet.of(Trigger.RESCAN, Trigger.MANUAL), ChangeSet.of(
                Change.modified(Path.of("/w/a.txt")), new Rescan(Path.of("/w"), "overflow")));
        TickView v = TickView.of(new TickResult<>(tick, Outcome.OK, new LineCount(1, 2, 3), null, T0, T0.plusMillis(7)));
        assertThat(v.tick()).isEqualTo(5);
        assertThat(v.triggers()).containsExactly("manual", "rescan");
        assertThat(v.rescan()).isTrue();
        assertThat(v.durationMs()).isEqualTo(7);
        assertThat(v.changeCount()).isEqualTo(1);
        assertThat(v.changes()).containsExactly(new TickView.ChangeView("/w/a.txt", "modified", "file"));
        assertThat(v.outcome()).isEqualTo("ok");
        assertThat(v.error()).isNull();
        assertThat(v.result()).isEqualTo(new LineCount(1, 2, 3));
    }

    @Test
    void listsAtMostTheFirst200ChangesButCountsThemAll() {
        List<Change> many = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            many.add(Change.created(Path.of("/w/f" + i)));
        }
        Tick tick = new Tick(1, EnumSet.of(Trigger.WATCH), ChangeSet.of(many));
        TickView v = TickView.of(new TickResult<>(tick, Outcome.OK, null, null, T0, T0));
        assertThat(v.changeCount()).isEqualTo(250);
        assertThat(v.changes()).hasSize(TickView.MAX_CHANGES);
        assertThat(v.changes().get(0).path()).isEqualTo("/w/f0");
    }

    @Test
    void aFailedTickCarriesItsErrorMessage() {
        Tick tick = new Tick(2, EnumSet.of(Trigger.RETRY), ChangeSet.empty());
        TickView v = TickView.of(new TickResult<>(tick, Outcome.FAILED, null, new IOException("disk full"), T0, T0));
        assertThat(v.outcome()).isEqualTo("failed");
        assertThat(v.error()).isEqualTo("disk full");
        assertThat(v.result()).isNull();
    }
}
