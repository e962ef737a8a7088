package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.watch.Backend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code watch.*} settings of {@code application.yml}.
 *
 * @param roots           the directories to watch
 * @param window          the coalescing window
 * @param settle          quiet-period mode instead of the window, or {@code null}
 * @param maxWait         with {@code settle}: the longest wait, or {@code null} for ten times settle
 * @param busyPolicy      queue, drop or restart
 * @param stateFile       where the daemon persists its state, or {@code null}
 * @param backend         native or polling
 * @param pollInterval    how often the polling backend scans (the source's scan interval)
 * @param extensions      only files with these extensions; empty for all
 * @param include         include globs
 * @param exclude         exclude globs
 * @param stopGracePeriod how long a running reconcile may finish at shutdown
 * @param tickOnStart     whether to reconcile once at start even when nothing changed
 * @param simulatedWork   extra time each reconcile takes, so the page can show ticks in flight
 */
@ConfigurationProperties("watch")
record WatchProperties(
        @DefaultValue(".") List<Path> roots,
        @DefaultValue("50ms") Duration window,
        Duration settle,
        Duration maxWait,
        @DefaultValue("queue") BusyPolicy busyPolicy,
        Path stateFile,
        @DefaultValue("native") Backend backend,
        @DefaultValue("1s") Duration pollInterval,
        @DefaultValue List<String> extensions,
        @DefaultValue List<String> include,
        @DefaultValue List<String> exclude,
        @DefaultValue("10s") Duration stopGracePeriod,
        @DefaultValue("true") boolean tickOnStart,
        @DefaultValue("0ms") Duration simulatedWork) {
}
