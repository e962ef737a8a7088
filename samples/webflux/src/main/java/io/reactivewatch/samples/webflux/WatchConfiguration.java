package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.Coalescing;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.StateStore;
import io.reactivewatch.watch.FileSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Builds the daemon from {@link WatchProperties}; {@link WatchLifecycle} starts and stops it. */
@Configuration(proxyBeanMethods = false)
class WatchConfiguration {

    /**
     * The daemon over a {@link FileSource}, built but not started. Its lifecycle bean owns it (no destroy
     * method here: stopping twice is harmless but the shutdown order is the lifecycle's to decide). The
     * daemon opens and closes the source itself, so the source is not a bean of its own.
     */
    @Bean(destroyMethod = "")
    ReconcileDaemon<LineCount> watchDaemon(WatchProperties p) {
        ReconcileDaemon.Builder<LineCount> b = ReconcileDaemon.builder(new LineCountReconciler(p.simulatedWork()))
                .source(fileSource(p))
                .coalescing(coalescing(p))
                .busyPolicy(p.busyPolicy())
                .stopGracePeriod(p.stopGracePeriod())
                .tickOnStart(p.tickOnStart());
        if (p.stateFile() != null) {
            b.stateStore(StateStore.file(p.stateFile()));
        }
        return b.build();
    }

    /** The file system under {@code watch.roots}, with the filters and backend of {@code watch.*}. */
    static FileSource fileSource(WatchProperties p) {
        FileSource.Builder b = FileSource.builder()
                .roots(p.roots())
                .backend(p.backend())
                .scanInterval(p.pollInterval());
        if (!p.extensions().isEmpty()) {
            b.extensions(p.extensions());
        }
        p.include().forEach(b::include);
        p.exclude().forEach(b::exclude);
        return b.build();
    }

    /** {@code watch.window}, or {@code watch.settle} with {@code watch.max-wait} (ten times settle if unset). */
    static Coalescing coalescing(WatchProperties p) {
        if (p.settle() == null) {
            return Coalescing.window(p.window());
        }
        return p.maxWait() != null ? Coalescing.settle(p.settle(), p.maxWait()) : Coalescing.settle(p.settle());
    }

    @Bean
    WatchLifecycle watchLifecycle(ReconcileDaemon<LineCount> daemon) {
        return new WatchLifecycle(daemon);
    }
}
