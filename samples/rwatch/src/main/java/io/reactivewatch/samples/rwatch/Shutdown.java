package io.reactivewatch.samples.rwatch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stop requests: the first one asks for a graceful stop, any further one forces the exit. Signal handlers
 * call {@link #request}; the main thread waits in {@link #await}.
 */
final class Shutdown {

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Runnable force = () -> { };

    /** Called by a signal handler (SIGINT, SIGTERM) or a test. */
    void request() {
        if (requests.incrementAndGet() == 1) {
            requested.countDown();
        } else {
            force.run();
        }
    }

    void onForce(Runnable action) {
        this.force = action;
    }

    void await() throws InterruptedException {
        requested.await();
    }

    boolean requested() {
        return requested.getCount() == 0;
    }
}
