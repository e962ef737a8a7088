package io.reactivewatch.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A reconciler that records what it was asked to do, when, and how many ran at once, and keeps a "view" of
 * which paths exist by applying each successful tick. Applying a change that contradicts the view (creating a
 * path it already has, modifying or deleting one it lacks) is recorded as a violation.
 */
final class Recorder implements Reconciler<Void> {

    record Span(Tick tick, long startMillis, long endMillis, Outcome outcome) {
    }

    private final Function<Tick, Mono<Void>> behaviour;
    private final Scheduler clock;
    private final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final List<Span> spans = Collections.synchronizedList(new ArrayList<>());
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final Set<Path> view = new HashSet<>();

    Recorder(Function<Tick, Mono<Void>> behaviour, Scheduler clock) {
        this.behaviour = behaviour;
        this.clock = clock;
    }

    /** A reconciler that takes {@code work} on the (virtual) parallel scheduler. */
    static Recorder taking(Duration work) {
        return new Recorder(t -> Mono.delay(work).then(), Schedulers.parallel());
    }

    @Override
    public Mono<Void> reconcile(Tick tick) {
        return Mono.defer(() -> {
            int now = running.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            long start = clock.now(TimeUnit.MILLISECONDS);
            java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
            // Record the end before the terminal signal travels downstream (doFinally would run after the
            // daemon already started the next reconcile, and count a false overlap).
            java.util.function.Consumer<Outcome> end = outcome -> {
                if (ended.compareAndSet(false, true)) {
                    if (outcome == Outcome.OK) {
                        apply(tick);
                    }
                    spans.add(new Span(tick, start, clock.now(TimeUnit.MILLISECONDS), outcome));
                    running.decrementAndGet();
                }
            };
            return behaviour.apply(tick)
                    .doOnSuccess(v -> end.accept(Outcome.OK))
                    .doOnError(e -> end.accept(Outcome.FAILED))
                    .doOnCancel(() -> end.accept(Outcome.CANCELLED));
        });
    }

    private synchronized void apply(Tick tick) {
        for (Change c : tick.changes().changes()) {
            boolean has = view.contains(c.path());
            switch (c.kind()) {
                case CREATED:
                    if (has) {
                        violations.add("tick " + tick.number() + " created " + c.path() + " which already existed");
                    }
                    view.add(c.path());
                    break;
                case MODIFIED:
                    if (!has) {
                        violations.add("tick " + tick.number() + " modified " + c.path() + " which did not exist");
                    }
                    view.add(c.path());
                    break;
                case DELETED:
                    if (!has) {
                        violations.add("tick " + tick.number() + " deleted " + c.path() + " which did not exist");
                    }
                    view.remove(c.path());
                    break;
                default:
                    throw new AssertionError(c.kind());
            }
        }
    }

    synchronized Set<Path> view() {
        return new HashSet<>(view);
    }

    List<Span> spans() {
        synchronized (spans) {
            return new ArrayList<>(spans);
        }
    }

    List<Tick> okTicks() {
        List<Tick> ok = new ArrayList<>();
        for (Span s : spans()) {
            if (s.outcome() == Outcome.OK) {
                ok.add(s.tick());
            }
        }
        return ok;
    }

    Set<Path> okPaths() {
        Set<Path> all = new HashSet<>();
        okTicks().forEach(t -> all.addAll(t.changes().paths()));
        return all;
    }
}
