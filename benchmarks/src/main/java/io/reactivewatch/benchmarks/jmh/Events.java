package io.reactivewatch.benchmarks.jmh;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import java.nio.file.Path;

/** Pre-built event streams, so a benchmark measures the pipeline and not the creation of its input. */
final class Events {

    private static final ChangeKind[] ROUNDS = {ChangeKind.CREATED, ChangeKind.MODIFIED, ChangeKind.MODIFIED,
        ChangeKind.DELETED};

    private Events() {
    }

    static Path[] paths(int distinct) {
        Path base = Path.of("/bench/tree");
        Path[] paths = new Path[distinct];
        for (int i = 0; i < distinct; i++) {
            paths[i] = base.resolve("d" + (i % 1000)).resolve("f" + i + ".txt");
        }
        return paths;
    }

    /**
     * {@code count} events cycling over {@code distinct} paths. Each full pass over the paths uses one kind,
     * in rounds of created, modified, modified, deleted, so merging exercises every net-effect rule,
     * including the created-then-deleted cancellation.
     */
    static Change[] stream(int count, int distinct) {
        Path[] paths = paths(distinct);
        Change[] events = new Change[count];
        for (int i = 0; i < count; i++) {
            ChangeKind kind = ROUNDS[(i / distinct) % ROUNDS.length];
            events[i] = new Change(paths[i % distinct], kind, EntryType.FILE);
        }
        return events;
    }
}
