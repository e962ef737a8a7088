package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void theFirstRequestReleasesTheWaiterWithoutForcing() throws InterruptedException {
        Shutdown s = new Shutdown();
        AtomicInteger forced = new AtomicInteger();
        s.onForce(forced::incrementAndGet);
        assertThat(s.requested()).isFalse();
        s.request();
        s.await();
        assertThat(s.requested()).isTrue();
        assertThat(forced).hasValue(0);
    }

    @Test
    void everyFurtherRequestForces() {
        Shutdown s = new Shutdown();
        AtomicInteger forced = new AtomicInteger();
        s.onForce(forced::incrementAndGet);
        s.request();
        s.request();
        s.request();
        assertThat(forced).hasValue(2);
    }
}
