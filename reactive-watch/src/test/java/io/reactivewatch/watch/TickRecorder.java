package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.fail;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.Tick;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A reconciler that records every tick, measures overlap, and lets a test wait on a condition over what it
 * saw (woken by each tick and each status update; never a fixed sleep).
 */
final class TickRecorder implements Reconciler<Void> {

    private final Duration work;
    private final List<Tick> ticks = new ArrayList<>();
    private int inFlight;
    private int maxInFlight;
    private DaemonStatus lastStatus;
    private Disposable statusSubscription;

    TickRecorder() {
        this(Duration.ZERO);
    }

    /** @param work how long each reconcile takes (asynchronously, off the calling thread) */
    TickRecorder(Duration work) {
        this.work = work;
    }

    @Override
    public Mono<Void> reconcile(Tick tick) {
        synchronized (this) {
            ticks.add(tick);
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            notifyAll();
        }
        Mono<Void> body = work.isZero() ? Mono.empty() : Mono.delay(work).then();
        // Count down before the completion travels on: the daemon starts the next tick on that signal.
        Runnable done = () -> {
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        };
        return body.doOnTerminate(done).doOnCancel(done);
    }

    /** Follows the daemon's status so status conditions wake {@link #await}. */
    void follow(ReconcileDaemon<?> daemon) {
        statusSubscription = daemon.statusUpdates().subscribe(s -> {
            synchronized (this) {
                lastStatus = s;
                notifyAll();
            }
        });
    }

    void dispose() {
        if (statusSubscription != null) {
            statusSubscription.dispose();
        }
    }

    synchronized List<Tick> ticks() {
        return List.copyOf(ticks);
    }

    synchronized int maxInFlight() {
        return maxInFlight;
    }

    synchronized boolean idle() {
        return inFlight == 0;
    }

    /** Every change of every tick, in order. */
    synchronized List<Change> changes() {
        List<Change> out = new ArrayList<>();
        ticks.forEach(t -> out.addAll(t.changes().changes()));
        return out;
    }

    /** Per path, the kinds reported, in tick order. */
    synchronized Map<Path, List<ChangeKind>> history() {
        Map<Path, List<ChangeKind>> out = new LinkedHashMap<>();
        for (Tick t : ticks) {
            for (Change c : t.changes().changes()) {
                out.computeIfAbsent(c.path(), p -> new ArrayList<>()).add(c.kind());
            }
        }
        return out;
    }

    synchronized boolean saw(Path path, ChangeKind kind) {
        for (Tick t : ticks) {
            Change c = t.changes().get(path).orElse(null);
            if (c != null && c.kind() == kind) {
                return true;
            }
        }
        return false;
    }

    synchronized DaemonStatus lastStatus() {
        return lastStatus;
    }

    /**
     * Waits until the condition holds: evaluated after every tick and status update, and at least every
     * 50 ms for conditions on the filesystem or on {@code status()}.
     */
    void await(String what, Duration timeout, Predicate<TickRecorder> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!condition.test(this)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; ticks: "
                            + describeTicks() + "; status: " + lastStatus);
                }
                try {
                    wait(Math.max(1, Math.min(50, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail("interrupted waiting for " + what);
                }
            }
        }
    }

    void awaitSaw(Path path, ChangeKind kind) {
        await(kind.wireName() + " " + path, Duration.ofSeconds(10), r -> r.saw(path, kind));
    }

    private String describeTicks() {
        StringBuilder sb = new StringBuilder();
        for (Tick t : ticks) {
            sb.append("\n  #").append(t.number()).append(' ').append(t.triggers()).append(' ');
            String s = t.changes().toString();
            sb.append(s.length() > 600 ? s.substring(0, 600) + "..." : s);
        }
        return sb.toString();
    }
}
