package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    private final Shutdown shutdown = new Shutdown();
    private final AtomicInteger forced = new AtomicInteger();

    ShutdownTest() {
        shutdown.onForce(forced::incrementAndGet);
    }

    @Test
    void aFirstInterruptReleasesTheWaiterWithoutForcing() throws InterruptedException {
        assertThat(shutdown.requested()).isFalse();
        shutdown.interrupt();
        shutdown.await();
        assertThat(shutdown.requested()).isTrue();
        assertThat(forced).hasValue(0);
    }

    @Test
    void everyFurtherInterruptForces() {
        shutdown.interrupt();
        shutdown.interrupt();
        shutdown.interrupt();
        assertThat(forced).hasValue(2);
    }

    @Test
    void anInterruptAfterATerminateForces() {
        shutdown.request();
        shutdown.interrupt();
        assertThat(forced).hasValue(1);
    }

    @Test
    void repeatedTerminatesNeverForce() throws InterruptedException {
        shutdown.request();
        shutdown.request();
        shutdown.await();
        assertThat(forced).hasValue(0);
    }

    @Test
    void anExitRequestStopsWithItsStatus() throws InterruptedException {
        assertThat(shutdown.exitStatus()).isZero();
        shutdown.exit(7);
        shutdown.await();
        assertThat(shutdown.exitStatus()).isEqualTo(7);
        shutdown.exit(9);
        assertThat(shutdown.exitStatus()).as("the first one wins").isEqualTo(7);
    }

    @Test
    void anExitRequestAfterAStopRequestChangesNothing() {
        shutdown.request();
        shutdown.exit(3);
        assertThat(shutdown.exitStatus()).as("a run cut short by the stop is no error").isZero();
    }
}
