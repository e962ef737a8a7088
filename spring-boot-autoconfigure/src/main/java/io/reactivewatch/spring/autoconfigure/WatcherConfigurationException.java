package io.reactivewatch.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/** A watcher setting that cannot work; {@link ReactiveWatchFailureAnalyzer} turns it into a startup report. */
final class WatcherConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final @Nullable String value;
    private final String reason;
    private final String action;

    WatcherConfigurationException(String property, @Nullable Object value, String reason, String action) {
        this(property, value, reason, action, null);
    }

    WatcherConfigurationException(String property, @Nullable Object value, String reason, String action,
            @Nullable Throwable cause) {
        super(property + (value == null ? "" : " = " + value) + ": " + reason, cause);
        this.property = property;
        this.value = value == null ? null : String.valueOf(value);
        this.reason = reason;
        this.action = action;
    }

    String property() {
        return property;
    }

    @Nullable String value() {
        return value;
    }

    String reason() {
        return reason;
    }

    String action() {
        return action;
    }
}
