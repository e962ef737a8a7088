package io.reactivewatch.spring.autoconfigure;

import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.watch.FileSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Watchers from {@code reactive-watch.watchers.<name>.*} ({@link ReactiveWatchProperties}): each one a
 * {@link FileSource} and a {@link ReconcileDaemon} running a {@link Reconciler} bean, started and stopped with
 * the application ({@link ReactiveWatchers}).
 *
 * <p>A watcher runs the {@code Reconciler} bean named by its {@code reconciler} property, else the one whose
 * bean name is the watcher's name, else, when there is exactly one watcher and exactly one {@code Reconciler}
 * bean, that bean. Anything else fails startup with a message naming the property.
 *
 * <p>Backs off when {@code reactive-watch.enabled=false}, when the application defines a
 * {@link ReconcileDaemon} bean of its own (it then owns its daemons), and when no watcher is configured.
 */
@AutoConfiguration
@ConditionalOnClass({ReconcileDaemon.class, FileSource.class})
@ConditionalOnProperty(prefix = "reactive-watch", name = "enabled", havingValue = "true", matchIfMissing = true)
@ConditionalOnMissingBean(ReconcileDaemon.class)
@Conditional(ReactiveWatchAutoConfiguration.OnWatchersCondition.class)
@EnableConfigurationProperties(ReactiveWatchProperties.class)
public final class ReactiveWatchAutoConfiguration {

    /**
     * The configured watchers, built (but not started) from the properties and the {@code Reconciler} beans.
     *
     * @param properties the settings
     * @param beans      where the {@code Reconciler} beans are looked up
     * @return the watchers
     */
    @Bean
    @ConditionalOnMissingBean
    public ReactiveWatchers reactiveWatchers(ReactiveWatchProperties properties, ListableBeanFactory beans) {
        Map<String, Reconciler<?>> reconcilers = new LinkedHashMap<>();
        beans.getBeansOfType(Reconciler.class).forEach((name, r) -> reconcilers.put(name, r));
        Map<String, Integer> maxFailures = new LinkedHashMap<>();
        Map<String, Path> stateFiles = new LinkedHashMap<>();
        properties.getWatchers().forEach((name, w) -> {
            maxFailures.put(name, w.getHealth().getMaxConsecutiveFailures());
            if (w.getStateFile() != null) {
                stateFiles.put(name, w.getStateFile());
            }
        });
        return new ReactiveWatchers(new WatcherFactory(reconcilers).build(properties.getWatchers()), maxFailures,
                stateFiles);
    }

    /** Matches when at least one {@code reactive-watch.watchers.<name>} property is set. */
    static final class OnWatchersCondition extends SpringBootCondition {

        private static final ConfigurationPropertyName WATCHERS = ConfigurationPropertyName.of("reactive-watch.watchers");

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(context.getEnvironment())) {
                if (source instanceof IterableConfigurationPropertySource iterable
                        && iterable.stream().anyMatch(WATCHERS::isAncestorOf)) {
                    return ConditionOutcome.match("reactive-watch.watchers is set");
                }
            }
            return ConditionOutcome.noMatch("no reactive-watch.watchers.<name> property is set");
        }
    }
}
