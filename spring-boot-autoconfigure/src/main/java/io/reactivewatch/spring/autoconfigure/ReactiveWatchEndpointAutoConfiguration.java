package io.reactivewatch.spring.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@link WatchEndpoint} ({@code /actuator/watch}), when Actuator is present and the endpoint is available
 * (enabled, and exposed through {@code management.endpoints.web.exposure.include} or JMX).
 */
@AutoConfiguration(after = ReactiveWatchAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(ReactiveWatchers.class)
@ConditionalOnAvailableEndpoint(WatchEndpoint.class)
public final class ReactiveWatchEndpointAutoConfiguration {

    /**
     * The endpoint.
     *
     * @param watchers the watchers
     * @return the endpoint
     */
    @Bean
    @ConditionalOnMissingBean
    public WatchEndpoint watchEndpoint(ReactiveWatchers watchers) {
        return new WatchEndpoint(watchers);
    }
}
