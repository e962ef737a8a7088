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
 * The sample's watcher over HTTP: {@code GET /watch/status}, {@code GET /watch/ticks} (server-sent events: the
 * last ticks, then one per tick), {@code GET /watch/stream} (the same ticks and status snapshots, for the page)
 * and {@code POST /watch/tick}. The watcher is the starter's: this controller finds it by name in
 * {@link ReactiveWatchers}; the past ticks come from {@link RecentTicks}.
 */
@RestController
@RequestMapping("/watch")
final class WatchController {

    /** A client that falls this far behind loses the oldest ticks rather than holding memory forever. */
    private static final int CLIENT_BUFFER = 1024;
    private static final Duration STATUS_SAMPLE = Duration.ofMillis(100);

    private final ReconcileDaemon<?> daemon;
    private final RecentTicks recent;

    WatchController(ReactiveWatchers watchers, RecentTicks recent) {
        this.daemon = WatchApplication.watcher(watchers);
        this.recent = recent;
    }

    @GetMapping("/status")
    DaemonStatus status() {
        return daemon.status();
    }

    /**
     * One {@code tick} event per tick: first those that finished before the client connected (the last
     * {@value RecentTicks#SIZE} since the application started, oldest first), then each new one; completes when
     * the watcher stops. It opens with an SSE comment (no event) so the response starts at once even when there
     * is no tick yet.
     */
    @GetMapping(path = "/ticks", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<TickView>> ticks() {
        return recentThenLive()
                .map(r -> event(r.tick(), r.tick().tick(), "tick"))
                .startWith(ServerSentEvent.<TickView>builder()
                        .comment("ticks of " + daemon.status().watchPaths()).build());
    }

    /**
     * For the page: {@code status} events (the current status at once, then at most ten a second) and the same
     * ticks as {@code /watch/ticks}, those from before the page connected as {@code replay} events (the page
     * lists them but cannot place them on its timeline, which counts in its own receive times) and the new ones
     * as {@code tick} events.
     */
    @GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> stream() {
        Flux<ServerSentEvent<Object>> statuses = daemon.statusUpdates()
                .sample(STATUS_SAMPLE)
                .startWith(daemon.status())
                .map(s -> ServerSentEvent.<Object>builder(s).event("status").build());
        Flux<ServerSentEvent<Object>> ticks = recentThenLive().<ServerSentEvent<Object>>map(r ->
                event(r.tick(), r.tick().tick(), r.replayed() ? "replay" : "tick"));
        return Flux.merge(statuses, ticks);
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

    private Flux<RecentTicks.Received> recentThenLive() {
        return recent.ticks()
                .onBackpressureBuffer(CLIENT_BUFFER, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST);
    }

    /** A tick as an SSE event named {@code name}, its id the tick's number. */
    private static <T> ServerSentEvent<T> event(T tick, long number, String name) {
        return ServerSentEvent.builder(tick).event(name).id(Long.toString(number)).build();
    }
}
