package io.reactivewatch.benchmarks.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records the triggers of one subject during one run and plays the simulated reconcile that takes R.
 * Thread-safe: peers call it from their own threads.
 */
final class Probe {

    /** One trigger: when its reconcile started and ended ({@code -1} while it runs). */
    static final class Span {
        final long startNanos;
        volatile long endNanos = -1;
        final int reported;
        private final Probe owner;

        Span(Probe owner, long startNanos, int reported) {
            this.owner = owner;
            this.startNanos = startNanos;
            this.reported = reported;
        }

        void end() {
            endNanos = System.nanoTime();
            owner.running.decrementAndGet();
            owner.lastActivityNanos = endNanos;
        }
    }

    private final Duration reconcileTime;
    /** Replaced, not cleared, by {@link #newPhase()}: a cleared concurrent set keeps its large table. */
    private volatile Set<Path> reported = ConcurrentHashMap.newKeySet();
    /** Bumped whenever a path joins {@link #reported}: while it stands still, the count of missing files does too. */
    private final AtomicLong reportedAdds = new AtomicLong();
    private final ArrayList<Span> spans = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicLong overflows = new AtomicLong();
    private volatile int maxRunning;
    private volatile long lastActivityNanos = System.nanoTime();

    Probe(Duration reconcileTime) {
        this.reconcileTime = reconcileTime;
    }

    Duration reconcileTime() {
        return reconcileTime;
    }

    /** A reconcile starts for these reported paths. */
    Span begin(Collection<Path> paths) {
        long now = System.nanoTime();
        int concurrent = running.incrementAndGet();
        if (concurrent > 1) {
            overlaps.incrementAndGet();
        }
        synchronized (this) {
            maxRunning = Math.max(maxRunning, concurrent);
        }
        Set<Path> into = reported;
        for (Path p : paths) {
            if (into.add(p.toAbsolutePath().normalize())) {
                reportedAdds.incrementAndGet();
            }
        }
        Span span = new Span(this, now, paths.size());
        synchronized (spans) {
            spans.add(span);
        }
        lastActivityNanos = now;
        return span;
    }

    /**
     * What a peer's user does in its callback: reconcile on the callback thread, blocking it for R.
     */
    void blockingTrigger(Collection<Path> paths) {
        Span span = begin(paths);
        try {
            sleep(reconcileTime);
        } finally {
            span.end();
        }
    }

    static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void overflow() {
        overflows.incrementAndGet();
    }

    long overflows() {
        return overflows.get();
    }

    List<Span> spans() {
        synchronized (spans) {
            return new ArrayList<>(spans);
        }
    }

    int triggerCount() {
        synchronized (spans) {
            return spans.size();
        }
    }

    boolean wasReported(Path p) {
        return reported.contains(p);
    }

    /** Changes whenever a newly reported path arrives. */
    long reportedAdds() {
        return reportedAdds.get();
    }

    /**
     * Starts a new phase of a multi-phase workload (W7): forgets which paths were reported and the triggers
     * so far, so that a file created in one phase and modified in the next must be reported again to count,
     * and so a finished phase's record (200,000 paths, and one span per trigger: 190,000 of them for a subject
     * that triggers per watch key) no longer takes heap. Call only while the subject is quiet.
     */
    void newPhase() {
        reported = ConcurrentHashMap.newKeySet();
        reportedAdds.incrementAndGet();
        synchronized (spans) {
            spans.clear();
            spans.trimToSize();
        }
    }

    int running() {
        return running.get();
    }

    int maxRunning() {
        return maxRunning;
    }

    int overlaps() {
        return overlaps.get();
    }

    long lastActivityNanos() {
        return lastActivityNanos;
    }
}
