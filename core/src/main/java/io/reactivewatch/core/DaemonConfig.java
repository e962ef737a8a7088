package io.reactivewatch.core;

import java.time.Duration;
import reactor.core.scheduler.Scheduler;

/** The validated, immutable settings of one daemon, fixed by {@link ReconcileDaemon.Builder}. */
record DaemonConfig<R>(
        Reconciler<R> reconciler,
        ChangeSource source,
        Coalescing coalescing,
        BusyPolicy busyPolicy,
        int maxChangesPerTick,
        Duration tickTimeout,
        RetryPolicy retry,
        Duration tickInterval,
        Scheduler scheduler,
        Scheduler ioScheduler,
        Duration stopGracePeriod,
        StateStore stateStore,
        boolean tickOnStart,
        Duration persistInterval,
        Duration syncTimeout) {

    /** The settings recorded in the state file, for people reading it. */
    DaemonState.RunSettings runSettings() {
        return new DaemonState.RunSettings(coalescing.toString(), busyPolicy,
                maxChangesPerTick == Integer.MAX_VALUE ? null : maxChangesPerTick,
                tickTimeout == null ? null : tickTimeout.toMillis(), retry.toString());
    }
}
