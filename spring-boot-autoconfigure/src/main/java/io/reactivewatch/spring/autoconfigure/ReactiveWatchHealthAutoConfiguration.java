package io.reactivewatch.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;

/**
 * A health indicator per watcher, under the component {@code watch}
 * ({@code /actuator/health/watch/<name>}); off with {@code management.health.watch.enabled=false}.
 *
 * <table>
 *   <caption>How a watcher's status maps to health</caption>
 *   <tr><th>status</th><th>when</th></tr>
 *   <tr><td>{@code OUT_OF_SERVICE}</td><td>the watcher is not running (before start, after stop)</td></tr>
 *   <tr><td>{@code DOWN}</td><td>a root is lost ({@code backendError} says "watch root deleted")</td></tr>
 *   <tr><td>{@code DOWN}</td><td>state cannot be persisted ({@code lastError} starts with "could not
 *       persist")</td></tr>
 *   <tr><td>{@code DOWN}</td><td>{@code consecutiveFailures} is above the watcher's
 *       {@code health.max-consecutive-failures} (default 3)</td></tr>
 *   <tr><td>{@code UP}</td><td>otherwise: watching</td></tr>
 * </table>
 * Details: {@code roots}, {@code backend}, {@code backendError}, {@code pendingChanges}, {@code trackedFiles},
 * {@code tickCount}, {@code lastTickAt}, {@code lastOutcome}, {@code consecutiveFailures}, {@code lastError}
 * (absent values are left out), and {@code reason} when not {@code UP}. Details are shown as
 * {@code management.endpoint.health.show-details} says.
 */
@AutoConfiguration(after = ReactiveWatchAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(ReactiveWatchers.class)
@ConditionalOnEnabledHealthIndicator("watch")
public final class ReactiveWatchHealthAutoConfiguration {

    /**
     * The watchers' health, one indicator per watcher.
     *
     * @param watchers the watchers
     * @return a composite named {@code watch}
     */
    @Bean
    @ConditionalOnMissingBean(name = "watchHealthContributor")
    public CompositeHealthContributor watchHealthContributor(ReactiveWatchers watchers) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        watchers.daemons().forEach((name, daemon) ->
                indicators.put(name, new WatcherHealthIndicator(daemon, watchers.maxConsecutiveFailures(name))));
        return CompositeHealthContributor.fromMap(indicators);
    }
}
