package io.reactivewatch.core;

import static io.reactivewatch.core.Lifecycle.NEW;
import static io.reactivewatch.core.Lifecycle.STARTED;
import static io.reactivewatch.core.Lifecycle.STOPPING;
import static io.reactivewatch.core.Lifecycle.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivewatch.core.Lifecycle.Event;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every (lifecycle, event) pair, against a table written out by hand. */
class LifecycleTest {

    private static final Map<Lifecycle, Map<Event, Lifecycle>> TABLE = new EnumMap<>(Lifecycle.class);

    static {
        row(NEW, Event.START, STARTED, Event.STOP, TERMINATED);
        row(STARTED, Event.STOP, STOPPING);
        row(STOPPING, Event.STOP, STOPPING, Event.TERMINATE, TERMINATED);
        row(TERMINATED, Event.STOP, TERMINATED, Event.TERMINATE, TERMINATED);
    }

    private static void row(Lifecycle from, Object... eventAndNext) {
        Map<Event, Lifecycle> row = new EnumMap<>(Event.class);
        for (int i = 0; i < eventAndNext.length; i += 2) {
            row.put((Event) eventAndNext[i], (Lifecycle) eventAndNext[i + 1]);
        }
        TABLE.put(from, row);
    }

    @Test
    void everyLifecycleAndEventPairGoesWhereTheTableSaysOrIsRefused() {
        for (Lifecycle state : Lifecycle.values()) {
            for (Event event : Event.values()) {
                Lifecycle expected = TABLE.get(state).get(event);
                if (expected == null) {
                    assertThatThrownBy(() -> state.on(event)).as("%s on %s", state, event)
                            .isInstanceOf(IllegalStateException.class);
                } else {
                    assertThat(state.on(event)).as("%s on %s", state, event).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aSecondStartSaysWhetherTheDaemonRunsOrWasStopped() {
        assertThatThrownBy(() -> STARTED.on(Event.START)).hasMessageContaining("already started");
        assertThatThrownBy(() -> STOPPING.on(Event.START)).hasMessageContaining("stopped");
        assertThatThrownBy(() -> TERMINATED.on(Event.START)).hasMessageContaining("stopped");
    }
}
