package io.reactivewatch.samples.rwatch;

import java.io.PrintStream;

/**
 * rwatch's own messages on stderr: permanent lines (tick summaries, warnings) and, when stderr is a
 * terminal, one live status line kept below them.
 *
 * <p>The command shares the terminal: while it runs the status line is cleared and not redrawn, so the
 * command's output never lands in the middle of it. With {@link #clearBeforeRuns}, the screen is cleared
 * before each run, after the status line is.
 */
final class Terminal {

    private static final String CLEAR_LINE = "\r\033[K";
    /** Cursor home, erase the screen, erase the scrollback: what {@code clear} does on current terminals. */
    static final String CLEAR_SCREEN = "\033[H\033[2J\033[3J";

    private final PrintStream err;
    private final boolean live;
    /** Where the screen is cleared before each run, or {@code null}. */
    private PrintStream clearScreen;
    private String status;
    private boolean shown;
    private boolean commandRunning;
    private boolean closed;
    /** The last warning shown, so one problem reported by the library and by rwatch reads once. */
    private String lastWarning;

    Terminal(PrintStream err, boolean live) {
        this.err = err;
        this.live = live;
    }

    boolean live() {
        return live;
    }

    /** Prints a permanent line. */
    synchronized void line(String text) {
        if (closed) {
            return;
        }
        hide();
        err.println(text);
        show();
        err.flush();
    }

    /**
     * Prints {@code rwatch: warning: MESSAGE}, unless it is the warning shown last (the library logs a
     * problem and status reports it again) and no {@link #warningsCleared()} came in between.
     *
     * @return whether it was printed
     */
    synchronized boolean warning(String message) {
        if (message.equals(lastWarning)) {
            return false;
        }
        lastWarning = message;
        line("rwatch: warning: " + message);
        return true;
    }

    /** The problem warned about last is over (status shows no error): the same warning may come again. */
    synchronized void warningsCleared() {
        lastWarning = null;
    }

    /** Replaces the live status line (ignored when stderr is not a terminal). */
    synchronized void status(String text) {
        if (!live || closed) {
            return;
        }
        status = text;
        hide();
        show();
        err.flush();
    }

    /** Clears the screen through {@code out} (stdout, a terminal) before each run of the command. */
    synchronized void clearBeforeRuns(PrintStream out) {
        this.clearScreen = out;
    }

    synchronized void commandStarting() {
        hide();
        err.flush();
        if (clearScreen != null && !closed) {
            clearScreen.print(CLEAR_SCREEN);
            clearScreen.flush();
        }
        commandRunning = true;
    }

    synchronized void commandEnded() {
        commandRunning = false;
    }

    /** Clears the status line for good. */
    synchronized void close() {
        hide();
        err.flush();
        closed = true;
    }

    private void hide() {
        if (shown) {
            err.print(CLEAR_LINE);
            shown = false;
        }
    }

    private void show() {
        if (live && status != null && !commandRunning) {
            err.print(status);
            shown = true;
        }
    }
}
