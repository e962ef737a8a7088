package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.DaemonStatus;

/**
 * The live status line shown on a terminal: what rwatch is doing now, never a repeat of the tick line above
 * it, such as {@code rwatch: idle | pending 2 | 120 files, 14 dirs | keys: r run, p pause, q quit}, or
 * {@code rwatch: held: git rebase in progress | pending 5 | …} while a hold keeps ticks waiting. While state
 * cannot be written it says so: {@code rwatch: tick 5 waiting for state write | pending 1 | ...} when a tick
 * has been taken and waits for its changes to be on disk, {@code | waiting for state write} after what rwatch
 * does otherwise.
 */
final class StatusLine {

    /** The keys hint, shown when rwatch reads keys from the terminal. */
    static final String KEYS = "keys: r run, p pause, q quit";

    /** How the library's {@code lastError} starts while state cannot be written. */
    static final String PERSIST_PROBLEM = "could not persist state";
    /** How it ends while a tick waits for its changes to be on disk before it may start. */
    static final String TICK_WAITS = "waits until its changes are on disk";

    private StatusLine() {
    }

    /** @param keys whether rwatch reads keys from the terminal (then the line names them) */
    static String format(DaemonStatus s, boolean keys) {
        StringBuilder sb = new StringBuilder("rwatch: ");
        boolean persistProblem = persistProblem(s);
        if (s.tickInFlight() && persistProblem && s.lastError().endsWith(TICK_WAITS)) {
            // Taken from pending but not started: it never runs what it could not record.
            sb.append("tick ").append(s.tickCount() + 1).append(" waiting for state write");
        } else if (!s.tickInFlight() && !s.holds().isEmpty()) {
            sb.append("held: ").append(s.holds().get(0).reason());
            if (s.holds().size() > 1) {
                sb.append(" and ").append(s.holds().size() - 1).append(" more");
            }
            if (persistProblem) {
                sb.append(" | waiting for state write");
            }
        } else {
            sb.append(s.tickInFlight() ? "running tick " + (s.tickCount() + 1) : "idle");
            if (persistProblem) {
                // No tick starts until a write succeeds; the one running (if any) started before the failure.
                sb.append(" | waiting for state write");
            }
        }
        sb.append(" | pending ").append(s.pendingChanges());
        sb.append(" | ").append(counts(s.trackedFiles(), s.trackedDirectories()));
        if (keys) {
            sb.append(" | ").append(KEYS);
        }
        return sb.toString();
    }

    /** Whether state cannot be written now (the library retries, and no tick starts until it succeeds). */
    static boolean persistProblem(DaemonStatus s) {
        return s.lastError() != null && s.lastError().startsWith(PERSIST_PROBLEM);
    }

    /** {@code 120 files, 14 dirs}: files and directories counted apart. */
    static String counts(long files, long dirs) {
        return files + (files == 1 ? " file, " : " files, ") + dirs + (dirs == 1 ? " dir" : " dirs");
    }
}
