package io.reactivewatch.benchmarks.jmh;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.SourceEvent;
import io.reactivewatch.core.TickResult;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Events per second through the whole public pipeline: a {@code Flux} source pushing changes into a running
 * {@link ReconcileDaemon} (default window, which has no count cap) whose reconciler does nothing, measured until every
 * event has been reconciled.
 *
 * <p>One invocation pushes {@value #EVENTS} events from the benchmark thread, then asks for a manual tick and
 * waits for it. The daemon merges each event into its pending set as it arrives, so the manual tick drains
 * everything that was pushed: when it completes, all events are reconciled. Ticks that the coalescing window
 * starts on the way are part of the measurement, as they would be in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(DaemonThroughputBenchmark.EVENTS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DaemonThroughputBenchmark {

    static final int EVENTS = 1_000_000;

    /** How many different paths the events touch: the size the pending set can reach. */
    @Param({"1", "1000", "100000"})
    public int distinctPaths;

    private Change[] events;
    private Sinks.Many<SourceEvent> source;
    private ReconcileDaemon<Integer> daemon;

    @Setup(Level.Trial)
    public void start() {
        events = Events.stream(EVENTS, distinctPaths);
        source = Sinks.many().unicast().onBackpressureBuffer();
        daemon = ReconcileDaemon.<Integer>builder(tick -> Mono.just(tick.changes().size()))
                .source(source.asFlux())
                .stopGracePeriod(Duration.ofSeconds(5))
                .build();
        daemon.start();
    }

    @TearDown(Level.Trial)
    public void stop() {
        int left = daemon.status().pendingChanges();
        daemon.close();
        if (left != 0) {
            throw new IllegalStateException(left + " changes still pending after the last invocation");
        }
    }

    /**
     * Pushes all events and waits until they are reconciled.
     *
     * @return the size of the last change set, so the work cannot be optimised away
     */
    @Benchmark
    public int pushAndReconcile() {
        for (Change event : events) {
            Sinks.EmitResult result = source.tryEmitNext(event);
            if (result.isFailure()) {
                throw new IllegalStateException("source rejected an event: " + result);
            }
        }
        TickResult<Integer> last = daemon.tickNow().block(Duration.ofSeconds(30));
        if (last == null || !last.isOk()) {
            throw new IllegalStateException("manual tick did not complete: " + last);
        }
        return last.value() == null ? 0 : last.value();
    }
}
