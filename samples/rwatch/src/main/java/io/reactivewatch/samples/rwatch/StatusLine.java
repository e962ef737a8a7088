package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.DaemonStatus;

/**
 * The live status line shown on a terminal: what rwatch is doing now, never a repeat of the tick line above
 * it, such as {@code rwatch: idle | pending 2 | 120 files, 14 dirs | keys: r run, q quit}, or
 * {@code rwatch: held: git rebase in progress | pending 5 | …} while a hold keeps ticks waiting.
 */
final class StatusLine {

    /** The keys hint, shown when rwatch reads keys from the terminal. */
    static final String KEYS = "keys: r run, q quit";

    private StatusLine() {
    }

    /** @param keys whether rwatch reads keys from the terminal (then the line names them) */
    static String format(DaemonStatus s, boolean keys) {
        StringBuilder sb = new StringBuilder("rwatch: ");
        if (s.tickInFlight()) {
            sb.append("running tick ").append(s.tickCount() + 1);
        } else if (!s.holds().isEmpty()) {
            sb.append("held: ").append(s.holds().get(0).reason());
            if (s.holds().size() > 1) {
                sb.append(" and ").append(s.holds().size() - 1).append(" more");
            }
        } else {
            sb.append("idle");
        }
        sb.append(" | pending ").append(s.pendingChanges());
        sb.append(" | ").append(counts(s.trackedFiles(), s.trackedDirectories()));
        if (keys) {
            sb.append(" | ").append(KEYS);
        }
        return sb.toString();
    }

    /** {@code 120 files, 14 dirs}: files and directories counted apart. */
    static String counts(long files, long dirs) {
        return files + (files == 1 ? " file, " : " files, ") + dirs + (dirs == 1 ? " dir" : " dirs");
    }
}
