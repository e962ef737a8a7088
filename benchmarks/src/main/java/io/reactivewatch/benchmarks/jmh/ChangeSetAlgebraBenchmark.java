package io.reactivewatch.benchmarks.jmh;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.SourceEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The change algebra alone: folding events into a {@link ChangeSet} and merging two change sets. Scores are
 * events (for {@code of}) or input changes (for {@code merge}) per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ChangeSetAlgebraBenchmark {

    static final int EVENTS = 100_000;

    /** How many different paths the events touch. */
    @Param({"1", "1000", "100000"})
    public int distinctPaths;

    private List<SourceEvent> events;
    private ChangeSet older;
    private ChangeSet newer;

    @Setup(Level.Trial)
    public void prepare() {
        events = Arrays.asList(Events.stream(EVENTS, distinctPaths));
        Path[] paths = Events.paths(distinctPaths);
        List<SourceEvent> first = new ArrayList<>();
        List<SourceEvent> second = new ArrayList<>();
        for (int i = 0; i < paths.length; i++) {
            first.add(i % 2 == 0 ? Change.created(paths[i]) : Change.modified(paths[i]));
            second.add(i % 2 == 0 ? Change.modified(paths[i]) : Change.deleted(paths[i]));
        }
        older = ChangeSet.of(first);
        newer = ChangeSet.of(second);
    }

    /**
     * Folds {@value #EVENTS} events into one change set.
     *
     * @return the result
     */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public ChangeSet of() {
        return ChangeSet.of(events);
    }

    /**
     * Merges two change sets of {@code distinctPaths} changes each; the score counts one operation per
     * merge (divide by {@code 2 × distinctPaths} for changes per second).
     *
     * @return the result
     */
    @Benchmark
    public ChangeSet merge() {
        return older.merge(newer);
    }
}
