package io.reactivewatch.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.observation.ObservationRegistry;
import io.reactivewatch.micrometer.ReconcileDaemonMetrics;
import io.reactivewatch.micrometer.ReconcileDaemonObservation;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.Disposables;

/**
 * Micrometer for the configured watchers: a {@link MeterBinder} (Spring Boot binds it to every
 * {@link MeterRegistry}) with {@link ReconcileDaemonMetrics} per watcher, and, with an
 * {@link ObservationRegistry}, one observation per tick ({@link ReconcileDaemonObservation}). Only when
 * Micrometer and reactive-watch-micrometer are on the class path and the application has a registry.
 */
@AutoConfiguration(after = ReactiveWatchAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass(ReconcileDaemonMetrics.class)
@ConditionalOnBean(ReactiveWatchers.class)
public final class ReactiveWatchMetricsAutoConfiguration {

    /** Meters, with a {@link MeterRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    static final class Meters {

        @Bean
        MeterBinder reactiveWatchMeterBinder(ReactiveWatchers watchers) {
            return registry -> watchers.daemons().forEach((name, daemon) ->
                    new ReconcileDaemonMetrics(daemon, name).bindTo(registry));
        }
    }

    /** One observation per tick, with an {@link ObservationRegistry}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    static final class Observations {

        @Bean
        TickObservations reactiveWatchTickObservations(ReactiveWatchers watchers, ObservationRegistry registry) {
            return new TickObservations(watchers.daemons().entrySet().stream()
                    .map(e -> ReconcileDaemonObservation.observe(e.getValue(), e.getKey(), registry))
                    .toList());
        }
    }

    /** The observing subscriptions, made before the watchers start, ended with the context. */
    static final class TickObservations implements DisposableBean {
        private final Disposable subscriptions;

        TickObservations(List<Disposable> subscriptions) {
            this.subscriptions = Disposables.composite(subscriptions);
        }

        @Override
        public void destroy() {
            subscriptions.dispose();
        }
    }
}
