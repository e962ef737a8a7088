package io.reactivewatch.spring.autoconfigure;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import io.reactivewatch.core.TickResult;
import io.reactivewatch.core.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The actuator endpoint {@code watch}: the status of every watcher, of one, and a manual tick. Exposed only as
 * the application exposes endpoints ({@code management.endpoints.web.exposure.include=watch}); Spring Boot
 * exposes none but health by default.
 *
 * <ul>
 *   <li>{@code GET /actuator/watch}: every watcher's {@link DaemonStatus}, by name;</li>
 *   <li>{@code GET /actuator/watch/{name}}: one watcher's status ({@code 404} if there is no such watcher);</li>
 *   <li>{@code POST /actuator/watch/{name}}: a manual tick through the single-flight path, answered with its
 *       {@link TickReport} once it finished ({@code 404} for no such watcher, {@code 503} when it is not
 *       running, {@code 504} when the tick did not finish within {@value #TICK_WAIT_SECONDS} s; the tick then
 *       still runs).</li>
 * </ul>
 */
@Endpoint(id = "watch")
public final class WatchEndpoint {

    /** How long a manual tick request waits for its tick to finish, in seconds. */
    public static final int TICK_WAIT_SECONDS = 30;

    private final ReactiveWatchers watchers;

    /**
     * An endpoint over the configured watchers.
     *
     * @param watchers the watchers
     */
    public WatchEndpoint(ReactiveWatchers watchers) {
        this.watchers = watchers;
    }

    /**
     * Every watcher's status.
     *
     * @return the statuses by watcher name
     */
    @ReadOperation
    public Map<String, DaemonStatus> watchers() {
        Map<String, DaemonStatus> all = new LinkedHashMap<>();
        watchers.daemons().forEach((name, d) -> all.put(name, d.status()));
        return all;
    }

    /**
     * One watcher's status.
     *
     * @param name the watcher's name
     * @return its status, or {@code 404}
     */
    @ReadOperation
    public WebEndpointResponse<DaemonStatus> watcher(@Selector String name) {
        ReconcileDaemon<?> d = watchers.daemon(name);
        return d == null ? new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND)
                : new WebEndpointResponse<>(d.status());
    }

    /**
     * Requests a manual tick and waits for it.
     *
     * @param name the watcher's name
     * @return the tick's report, or {@code 404}, {@code 503}, {@code 504}
     */
    @WriteOperation
    public WebEndpointResponse<TickReport> tick(@Selector String name) {
        ReconcileDaemon<?> d = watchers.daemon(name);
        if (d == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        try {
            TickResult<?> r = d.tickNow().timeout(Duration.ofSeconds(TICK_WAIT_SECONDS)).block();
            return r == null ? new WebEndpointResponse<>(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE)
                    : new WebEndpointResponse<>(TickReport.of(r));
        } catch (IllegalStateException notRunning) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof TimeoutException) {
                return new WebEndpointResponse<>(504);
            }
            throw e;
        }
    }

    /**
     * How a manual tick ended.
     *
     * @param tick       the tick's number
     * @param triggers   why it ran (wire names, such as {@code manual})
     * @param changes    how many changes it held
     * @param rescan     whether it carried a rescan marker
     * @param outcome    {@code ok}, {@code failed}, {@code timed-out} or {@code cancelled}
     * @param error      the failure's message, or {@code null}
     * @param startedAt  when the reconcile started
     * @param finishedAt when it ended
     * @param durationMs how long it ran, in milliseconds
     */
    public record TickReport(long tick, List<String> triggers, int changes, boolean rescan, String outcome,
            @Nullable String error, Instant startedAt, Instant finishedAt, long durationMs) {

        static TickReport of(TickResult<?> r) {
            Throwable e = r.error();
            return new TickReport(r.tick().number(), r.tick().triggers().stream().map(Trigger::wireName).toList(),
                    r.tick().changes().size(), r.tick().changes().rescan(), r.outcome().wireName(),
                    e == null ? null : String.valueOf(e.getMessage()), r.startedAt(), r.finishedAt(),
                    r.duration().toMillis());
        }
    }
}
