package io.reactivewatch.spring.autoconfigure.app;

import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.Reconciler;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The application of README.md's Spring Boot section: properties plus one {@code Reconciler} bean. */
@SpringBootApplication
public class DocsApplication {

    /** What the README's reconciler feeds; here it remembers the paths. */
    public static final class SearchIndex {
        public final List<Path> indexed = new CopyOnWriteArrayList<>();

        void apply(ChangeSet changes) {
            indexed.addAll(changes.paths());
        }
    }

    @Bean
    SearchIndex searchIndex() {
        return new SearchIndex();
    }

    // README:spring-boot
    @Bean
    Reconciler<Void> docs(SearchIndex index) {         // runs every tick of the watcher named "docs"
        return tick -> Mono.fromRunnable(() -> index.apply(tick.changes()))
                .subscribeOn(Schedulers.boundedElastic())   // blocking work off the daemon's threads
                .then();
    }
    // README:end
}
