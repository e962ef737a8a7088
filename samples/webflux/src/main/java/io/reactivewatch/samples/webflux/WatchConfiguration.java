package io.reactivewatch.samples.webflux;

import io.reactivewatch.watch.WatchDaemon;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Schedulers;

/** Builds the daemon from {@link WatchProperties}; {@link WatchLifecycle} starts and stops it. */
@Configuration(proxyBeanMethods = false)
class WatchConfiguration {

    /**
     * The daemon, built but not started. Its lifecycle bean owns it (no destroy method here: stopping twice
     * is harmless but the shutdown order is the lifecycle's to decide).
     */
    @Bean(destroyMethod = "")
    WatchDaemon<LineCount> watchDaemon(WatchProperties p, WallClockScheduler timers) {
        WatchDaemon.Builder<LineCount> b = WatchDaemon.builder(new LineCountReconciler(p.simulatedWork()))
                .roots(p.roots())
                .backend(p.backend())
                .pollInterval(p.pollInterval())
                .busyPolicy(p.busyPolicy())
                .stopGracePeriod(p.stopGracePeriod())
                .tickOnStart(p.tickOnStart())
                .scheduler(timers);
        if (p.settle() != null) {
            b.settle(p.settle(), p.maxWait() != null ? p.maxWait() : p.settle().multipliedBy(10));
        } else {
            b.window(p.window());
        }
        if (!p.extensions().isEmpty()) {
            b.extensions(p.extensions());
        }
        p.include().forEach(b::include);
        p.exclude().forEach(b::exclude);
        if (p.stateFile() != null) {
            b.stateFile(p.stateFile());
        }
        return b.build();
    }

    @Bean(destroyMethod = "dispose")
    WallClockScheduler watchTimers() {
        return new WallClockScheduler(Schedulers.newParallel("watch-timers", 2, true));
    }

    @Bean
    WatchLifecycle watchLifecycle(WatchDaemon<LineCount> daemon) {
        return new WatchLifecycle(daemon);
    }
}
