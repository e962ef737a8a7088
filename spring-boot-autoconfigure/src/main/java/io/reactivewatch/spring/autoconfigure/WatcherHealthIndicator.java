package io.reactivewatch.spring.autoconfigure;

import io.reactivewatch.core.DaemonStatus;
import io.reactivewatch.core.ReconcileDaemon;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** One watcher's health, mapped from its status as {@link ReactiveWatchHealthAutoConfiguration} documents. */
final class WatcherHealthIndicator implements HealthIndicator {

    private final ReconcileDaemon<?> daemon;
    private final int maxConsecutiveFailures;

    WatcherHealthIndicator(ReconcileDaemon<?> daemon, int maxConsecutiveFailures) {
        this.daemon = daemon;
        this.maxConsecutiveFailures = maxConsecutiveFailures;
    }

    @Override
    public Health health() {
        DaemonStatus s = daemon.status();
        Health.Builder b;
        if (!s.active()) {
            b = Health.outOfService().withDetail("reason", "not watching (not started yet, or stopped)");
        } else if (s.backendError() != null && s.backendError().contains("watch root deleted")) {
            b = Health.down().withDetail("reason", "a watch root is lost");
        } else if (s.lastError() != null && s.lastError().startsWith("could not persist")) {
            b = Health.down().withDetail("reason", "state cannot be persisted");
        } else if (s.consecutiveFailures() > maxConsecutiveFailures) {
            b = Health.down().withDetail("reason", s.consecutiveFailures() + " ticks failed in a row (more than "
                    + maxConsecutiveFailures + ")");
        } else {
            b = Health.up();
        }
        b.withDetail("roots", s.watchPaths());
        detail(b, "backend", s.backend());
        detail(b, "backendError", s.backendError());
        b.withDetail("pendingChanges", s.pendingChanges());
        b.withDetail("trackedFiles", s.trackedFiles());
        b.withDetail("trackedDirectories", s.trackedDirectories());
        b.withDetail("tickCount", s.tickCount());
        detail(b, "lastTickAt", s.lastTickAt());
        detail(b, "lastOutcome", s.lastOutcome() == null ? null : s.lastOutcome().wireName());
        b.withDetail("consecutiveFailures", s.consecutiveFailures());
        if (!s.holds().isEmpty()) {
            // Held is healthy (a deployment, a git operation), but an operator asking why nothing ticks sees it.
            b.withDetail("holds", s.holds().stream().map(h -> h.reason()).toList());
        }
        detail(b, "lastError", s.lastError());
        return b.build();
    }

    private static void detail(Health.Builder b, String key, Object value) {
        if (value != null) {
            b.withDetail(key, value.toString());
        }
    }
}
