package io.reactivewatch.benchmarks.e2e;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.SourceEvent;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The core's memory claim, measured through its public API: while a reconcile runs, everything that arrives
 * is merged into one pending set, so the heap it holds grows with the number of distinct paths, not with the
 * number of events. A first tick is held open; then N events over D paths are pushed, and the heap retained
 * after a full GC is compared with the heap before the push.
 */
final class MemoryCheck {

    private static final ChangeKind[] KINDS = {ChangeKind.CREATED, ChangeKind.MODIFIED, ChangeKind.DELETED,
        ChangeKind.MODIFIED};

    private MemoryCheck() {
    }

    static void run(Path results, String session) throws Exception {
        // Unrecorded: loads the classes and fills the caches that the first measurement would otherwise count.
        measure(1_000, 100_000);
        int repeat = 0;
        for (int distinct : new int[] {1, 1_000, 100_000}) {
            for (int events : new int[] {1_000_000, 2_000_000}) {
                Map<String, String> m = measure(distinct, events);
                Result.append(results, new Result(session, "core", "_memory", 0, ++repeat, m));
                ChildRunner.log("core memory %s", m);
            }
        }
    }

    private static Map<String, String> measure(int distinct, int events) throws Exception {
        Sinks.Many<SourceEvent> source = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Empty<Void> release = Sinks.empty();
        ReconcileDaemon<Void> daemon = ReconcileDaemon.<Void>builder(
                        tick -> tick.number() == 1 ? release.asMono() : Mono.empty())
                .source(source.asFlux())
                .stopGracePeriod(Duration.ofSeconds(5))
                .build();
        daemon.start();
        try {
            source.tryEmitNext(Change.created(Path.of("/bench/first")));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!daemon.status().tickInFlight()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the first tick did not start");
                }
                Thread.sleep(5);
            }
            long before = retainedHeap();
            for (int i = 0; i < events; i++) {
                // A fresh Path and Change per event, as a watcher produces them: only what the daemon keeps
                // survives the GC below.
                ChangeKind kind = KINDS[(i / distinct) % KINDS.length];
                Path p = Path.of("/bench/tree/d" + (i % distinct) % 1000 + "/f" + (i % distinct) + ".txt");
                Sinks.EmitResult r = source.tryEmitNext(new Change(p, kind, EntryType.FILE));
                if (r.isFailure()) {
                    throw new IllegalStateException("source rejected an event: " + r);
                }
            }
            // Let the last coalescing window close. Its open batch is only a count (the events are in pending
            // already), so this no longer changes what is retained; it keeps runs comparable with earlier ones.
            Thread.sleep(300);
            long after = retainedHeap();
            int pending = daemon.status().pendingChanges();
            Map<String, String> m = new LinkedHashMap<>();
            m.put("distinctPaths", Integer.toString(distinct));
            m.put("events", Integer.toString(events));
            m.put("pending", Integer.toString(pending));
            m.put("retainedBytes", Long.toString(after - before));
            m.put("bytesPerPending", pending == 0 ? "" : Long.toString((after - before) / pending));
            return m;
        } finally {
            release.tryEmitEmpty();
            daemon.close();
        }
    }

    private static long retainedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
