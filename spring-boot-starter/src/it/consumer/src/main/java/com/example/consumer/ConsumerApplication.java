package com.example.consumer;

import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.Tick;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Mono;

/** A Spring Boot application that adds the starter and one Reconciler bean: that is all it writes. */
@SpringBootApplication
public class ConsumerApplication {

    /** The ticks the reconciler saw, for the test. */
    public static final LinkedBlockingQueue<Tick> SEEN = new LinkedBlockingQueue<>();

    @Bean
    Reconciler<Void> docs() {
        return tick -> Mono.fromRunnable(() -> SEEN.add(tick));
    }
}
