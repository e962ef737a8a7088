package io.reactivewatch.core;

import java.time.Duration;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/** The validated, immutable settings of one daemon, fixed by {@link ReconcileDaemon.Builder#build()}. */
record DaemonConfig<R>(
        Reconciler<R> reconciler,
        Flux<? extends SourceEvent> source,
        Trigger sourceTrigger,
        Duration window,
        int maxBatch,
        Duration settle,
        Duration maxWait,
        BusyPolicy busyPolicy,
        int maxChangesPerTick,
        Duration tickTimeout,
        Duration retryMin,
        Duration retryMax,
        Duration pollInterval,
        Scheduler scheduler,
        Scheduler ioScheduler,
        Duration stopGracePeriod,
        StateStore stateStore,
        SourceState sourceState,
        Supplier<SourceDescription> sourceDescription,
        boolean tickOnStart,
        Duration persistInterval) {
}
