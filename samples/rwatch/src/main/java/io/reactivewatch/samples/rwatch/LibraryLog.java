package io.reactivewatch.samples.rwatch;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends the library's log (it logs through {@code System.Logger}, which is {@code java.util.logging} here) to
 * rwatch's terminal: a warning is one {@code rwatch: warning:} line, printed through {@link Terminal} so it
 * never lands inside the status line, and shown once when rwatch reports the same problem from status.
 * Below warning level nothing is printed.
 */
final class LibraryLog {

    private LibraryLog() {
    }

    /** Replaces the root logger's handlers with one that writes to {@code terminal}. */
    static void route(Terminal terminal) {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        root.addHandler(new ToTerminal(terminal));
    }

    /** The handler; package-private for tests. */
    static final class ToTerminal extends Handler {
        private final Terminal terminal;
        private final SimpleFormatter formatter = new SimpleFormatter();

        ToTerminal(Terminal terminal) {
            this.terminal = terminal;
            setLevel(Level.WARNING);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String message = formatter.formatMessage(record);
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                message = message + ": " + (thrown.getMessage() != null ? thrown.getMessage() : thrown.toString());
            }
            terminal.warning(message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
