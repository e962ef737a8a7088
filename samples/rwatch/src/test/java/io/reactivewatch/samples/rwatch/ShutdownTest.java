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
}
