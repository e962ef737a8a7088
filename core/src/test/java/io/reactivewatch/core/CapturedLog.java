package io.reactivewatch.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one of the library's loggers writes while a test runs. The library logs through {@code System.Logger},
 * which without another logging backend on the class path is {@code java.util.logging} under the same name.
 */
final class CapturedLog implements AutoCloseable {

    /** Held here: java.util.logging keeps its loggers only weakly, and the handler must stay attached. */
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog(Class<?> type) {
        this.logger = Logger.getLogger(type.getName());
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    /** Starts capturing what {@code type}'s logger writes. */
    static CapturedLog of(Class<?> type) {
        return new CapturedLog(type);
    }

    /** The messages logged at warning level or above, in order. */
    List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
