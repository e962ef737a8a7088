package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.spring.autoconfigure.ReactiveWatchers;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sample's watcher over HTTP: {@code GET /watch/status}, {@code GET /watch/ticks} (server-sent events, one
 * per tick), {@code GET /watch/stream} (ticks and status snapshots, for the page) and {@code POST /watch/tick}.
 * The watcher is the starter's: this controller finds it by name in {@link ReactiveWatchers}.
 */
@RestController
@RequestMapping("/watch")
final class WatchController {

    /** A client that falls this far behind loses the oldest ticks rather than holding memory forever. */
    private static final int CLIENT_BUFFER = 1024;
    private static final Duration STATUS_SAMPLE = Duration.ofMillis(100);

    private final ReconcileDaemon<?> daemon;

    WatchController(ReactiveWatchers watchers) {
        this.daemon = WatchApplication.watcher(watchers);
    }

    @GetMapping("/status")
    DaemonStatus status() {
        return daemon.status();
    }

    /**
     * One {@code tick} event per tick result from now on; completes when the daemon stops. It opens with an
     * SSE comment (no event) so the response starts at once rather than with the first tick.
     */
    @GetMapping(path = "/ticks", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<TickView>> ticks() {
        return tickEvents().startWith(ServerSentEvent.<TickView>builder()
                .comment("ticks of " + daemon.status().watchPaths()).build());
    }

    /** {@code tick} events and {@code status} events (at most ten a second), for the page. */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream() {
        Flux<ServerSentEvent<Object>> statuses = daemon.statusUpdates()
                .sample(STATUS_SAMPLE)
                .startWith(daemon.status())
                .map(s -> ServerSentEvent.<Object>builder(s).event("status").build());
        return Flux.merge(tickEvents().map(e -> ServerSentEvent.<Object>builder(e.data()).event("tick")
                .id(e.id()).build()), statuses);
    }

    /** Runs a manual tick through the single-flight path and answers with its result. */
    @PostMapping("/tick")
    Mono<TickView> tick() {
        return daemon.tickNow().map(TickView::of);
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.SERVICE_UNAVAILABLE)
    Mono<String> notRunning(IllegalStateException e) {
        return Mono.just(e.getMessage());
    }

    private Flux<ServerSentEvent<TickView>> tickEvents() {
        return daemon.ticks()
                .onBackpressureBuffer(CLIENT_BUFFER, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST)
                .map(r -> ServerSentEvent.builder(TickView.of(r)).event("tick")
                        .id(Long.toString(r.tick().number())).build());
    }
}
