package io.reactivewatch.samples.rwatch;

import java.util.concurrent.CountDownLatch;

/**
 * Stop requests. Any request asks for a graceful stop; an interrupt (SIGINT) after the first request forces
 * the exit. A repeated SIGTERM does not force: supervisors such as {@code timeout} deliver one to the process
 * and another to its process group, and neither means "hurry". The main thread waits in {@link #await}.
 */
final class Shutdown {

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile Runnable force = () -> { };
    private int exitStatus;

    /** A graceful stop (SIGTERM, a JVM shutdown). Repeats change nothing. */
    void request() {
        synchronized (this) {
            requested.countDown();
        }
    }

    /** SIGINT: the first one stops gracefully, any later one forces the exit. */
    void interrupt() {
        synchronized (this) {
            if (requested.getCount() > 0) {
                requested.countDown();
                return;
            }
        }
        force.run();
    }

    /**
     * A graceful stop that ends rwatch with {@code status} ({@code --exit-on-error}). Ignored once a stop was
     * requested: the run that stop cut short is no reason to exit non-zero.
     */
    void exit(int status) {
        synchronized (this) {
            if (requested.getCount() == 0) {
                return;
            }
            exitStatus = status;
            requested.countDown();
        }
    }

    /** The status rwatch ends with after a graceful stop: 0, or what {@link #exit} asked for. */
    synchronized int exitStatus() {
        return exitStatus;
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
