package io.reactivewatch.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A {@link Hold} whose first {@link #close()} hands it to a release action; later closes do nothing. */
class HoldHandle implements Hold {

    private final String reason;
    private final HoldMode mode;
    private final Consumer<? super HoldHandle> release;
    private final AtomicBoolean open = new AtomicBoolean(true);

    HoldHandle(String reason, HoldMode mode, Consumer<? super HoldHandle> release) {
        this.reason = reason;
        this.mode = mode;
        this.release = release;
    }

    @Override
    public final String reason() {
        return reason;
    }

    @Override
    public final HoldMode mode() {
        return mode;
    }

    @Override
    public final boolean isOpen() {
        return open.get();
    }

    @Override
    public final void close() {
        if (open.compareAndSet(true, false)) {
            release.accept(this);
        }
    }

    @Override
    public final String toString() {
        return "Hold[" + mode.wireName() + ": " + reason + (isOpen() ? "" : ", closed") + "]";
    }
}
