package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.DaemonStatus;

/**
 * The live status line shown on a terminal, such as
 * {@code rwatch: tick 12: 3 changes in 41 ms | pending 2 | running | 120 files}.
 */
final class StatusLine {

    private StatusLine() {
    }

    static String format(DaemonStatus s) {
        StringBuilder sb = new StringBuilder("rwatch: ");
        if (s.tickCount() == 0) {
            sb.append("no tick yet");
        } else {
            sb.append("tick ").append(s.tickCount()).append(": ").append(s.lastTickChanges())
                    .append(s.lastTickChanges() == 1 ? " change" : " changes");
            if (s.lastTickDuration() != null) {
                sb.append(" in ").append(s.lastTickDuration()).append(" ms");
            }
        }
        sb.append(" | pending ").append(s.pendingChanges());
        sb.append(s.tickInFlight() ? " | running" : " | idle");
        sb.append(" | ").append(s.trackedFiles()).append(s.trackedFiles() == 1 ? " file" : " files");
        return sb.toString();
    }
}
