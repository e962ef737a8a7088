package io.reactivewatch.core;

import static io.reactivewatch.core.FlightState.BACKING_OFF;
import static io.reactivewatch.core.FlightState.HELD;
import static io.reactivewatch.core.FlightState.IDLE;
import static io.reactivewatch.core.FlightState.REQUIRED;
import static io.reactivewatch.core.FlightState.RUNNING;
import static io.reactivewatch.core.FlightState.RUNNING_AND_REQUIRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.reactivewatch.core.FlightState.Event;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every (state, event) pair of the single-flight machine, against a table written out by hand. */
class FlightStateTest {

    /** The expected next state; a pair missing from a row is a transition that must throw. */
    private static final Map<FlightState, Map<Event, FlightState>> TABLE = new EnumMap<>(FlightState.class);

    static {
        row(IDLE, Event.REQUEST, REQUIRED);
        row(REQUIRED, Event.REQUEST, REQUIRED, Event.START, RUNNING, Event.SKIP, IDLE, Event.HOLD, HELD);
        row(RUNNING, Event.REQUEST, RUNNING_AND_REQUIRED, Event.FINISH, IDLE, Event.FAIL_AND_RETRY, BACKING_OFF);
        row(RUNNING_AND_REQUIRED, Event.REQUEST, RUNNING_AND_REQUIRED, Event.FINISH, REQUIRED,
                Event.FAIL_AND_RETRY, BACKING_OFF);
        row(BACKING_OFF, Event.REQUEST, BACKING_OFF, Event.BACKOFF_ELAPSED, REQUIRED);
        row(HELD, Event.REQUEST, HELD, Event.RELEASE, REQUIRED);
    }

    private static void row(FlightState from, Object... eventAndNext) {
        Map<Event, FlightState> row = new EnumMap<>(Event.class);
        for (int i = 0; i < eventAndNext.length; i += 2) {
            row.put((Event) eventAndNext[i], (FlightState) eventAndNext[i + 1]);
        }
        TABLE.put(from, row);
    }

    @Test
    void everyStateAndEventPairGoesWhereTheTableSaysOrIsRefused() {
        int checked = 0;
        for (FlightState state : FlightState.values()) {
            for (Event event : Event.values()) {
                FlightState expected = TABLE.get(state).get(event);
                if (expected == null) {
                    assertThatThrownBy(() -> state.on(event)).as("%s on %s", state, event)
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining(state.name()).hasMessageContaining(event.name());
                } else {
                    assertThat(state.on(event)).as("%s on %s", state, event).isEqualTo(expected);
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(FlightState.values().length * Event.values().length);
    }

    @Test
    void aSecondTickCanNeverStartWhileOneRuns() {
        assertThatThrownBy(() -> RUNNING.on(Event.START)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RUNNING_AND_REQUIRED.on(Event.START)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BACKING_OFF.on(Event.START)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HELD.on(Event.START)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestsWhileHeldScheduleNothingAndTheReleaseSchedulesOneDrain() {
        FlightState s = REQUIRED.on(Event.HOLD);
        for (int i = 0; i < 1_000; i++) {
            FlightState next = s.on(Event.REQUEST);
            assertThat(s.schedulesDrain(next)).isFalse();
            s = next;
        }
        FlightState released = s.on(Event.RELEASE);
        assertThat(released).isEqualTo(REQUIRED);
        assertThat(s.schedulesDrain(released)).isTrue();
    }

    @Test
    void anyNumberOfRequestsWhileRunningLeaveExactlyOneRerun() {
        FlightState s = REQUIRED.on(Event.START);
        for (int i = 0; i < 1_000; i++) {
            s = s.on(Event.REQUEST);
        }
        assertThat(s).isEqualTo(RUNNING_AND_REQUIRED);
        assertThat(s.on(Event.FINISH)).isEqualTo(REQUIRED);
    }

    @Test
    void aDrainIsScheduledOnlyOnATransitionIntoRequired() {
        for (FlightState from : FlightState.values()) {
            for (FlightState to : FlightState.values()) {
                assertThat(from.schedulesDrain(to)).as("%s -> %s", from, to)
                        .isEqualTo(to == REQUIRED && from != REQUIRED);
            }
        }
    }

    @Test
    void onlyTheTwoRunningStatesRun() {
        for (FlightState s : FlightState.values()) {
            assertThat(s.running()).as(s.name()).isEqualTo(s == RUNNING || s == RUNNING_AND_REQUIRED);
        }
    }
}
