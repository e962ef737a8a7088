package io.reactivewatch.samples.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Spring WebFlux application that embeds a {@code ReconcileDaemon} over a {@code FileSource}: it watches the
 * directories named in {@code application.yml}, counts the lines of every changed file once per tick, and
 * serves the daemon's status, a live stream of ticks, manual ticks, and a page that shows them at {@code /}.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(WatchProperties.class)
public class WatchApplication {

    WatchApplication() {
    }

    /**
     * Runs the application.
     *
     * @param args Spring Boot arguments, such as {@code --watch.roots=src}
     */
    public static void main(String[] args) {
        SpringApplication.run(WatchApplication.class, args);
    }
}
