package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.spring.autoconfigure.ReactiveWatchers;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring WebFlux application on the reactive-watch starter. The starter builds the watcher
 * {@value #WATCHER} from {@code reactive-watch.watchers.lines.*} in {@code application.yml}, runs the one
 * {@code Reconciler} bean below on every tick, and starts and stops it with the application. The rest is the
 * sample's own: the watcher over HTTP ({@link WatchController}), its last ticks kept for clients that connect
 * late ({@link RecentTicks}), and a page at {@code /}.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class WatchApplication {

    /** The watcher's name in {@code application.yml}; it also tags its meters ({@code watcher=lines}). */
    static final String WATCHER = "lines";

    WatchApplication() {
    }

    /**
     * Runs the application.
     *
     * @param args Spring Boot arguments, such as {@code --reactive-watch.watchers.lines.roots=src}
     */
    public static void main(String[] args) {
        SpringApplication.run(WatchApplication.class, args);
    }

    /**
     * What runs on every tick. It is the application's only {@code Reconciler} bean and there is one watcher,
     * so the starter binds the two without naming either.
     */
    // README:webflux
    @Bean
    LineCountReconciler lineCountReconciler(@Value("${line-count.simulated-work:0ms}") Duration simulatedWork) {
        return new LineCountReconciler(simulatedWork);
    }
    // README:end

    /** Records the watcher's ticks from application start, for clients that connect later. */
    @Bean
    RecentTicks recentTicks(ReactiveWatchers watchers) {
        return new RecentTicks(watcher(watchers));
    }

    /** The watcher {@value #WATCHER}, or a startup failure that says where it should be configured. */
    static ReconcileDaemon<?> watcher(ReactiveWatchers watchers) {
        ReconcileDaemon<?> daemon = watchers.daemon(WATCHER);
        if (daemon == null) {
            throw new IllegalStateException("no watcher named '" + WATCHER + "' (configured: " + watchers.names()
                    + "); the sample expects reactive-watch.watchers." + WATCHER + ".* in application.yml");
        }
        return daemon;
    }
}
