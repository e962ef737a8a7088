package io.reactivewatch.samples.rwatch;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The keys rwatch answers while its stdin is a terminal: each key acts at once, without Enter ({@code r} runs
 * now, {@code q} quits; rwatch binds them, {@link #on}).
 *
 * <p>{@link #open} switches the terminal to single keys without echo (and leaves it alone when stdin is no
 * terminal rwatch may use: a file, a pipe, {@code /dev/null}, or a terminal rwatch runs in the background of);
 * {@link #close} puts the terminal's settings back, once, whichever way rwatch ends: its caller closes on every
 * exit path, the forced exit of a second interrupt included. Keys are read on a daemon thread that nothing
 * waits for: a read blocked on the terminal never holds up the exit. A key that is bound to nothing, and any
 * key after {@link #close}, does nothing. Upper case is the same key.
 */
final class Keys implements AutoCloseable {

    /** How the terminal on stdin is switched to single keys and back. */
    interface Mode {
        /**
         * The terminal's current settings, to put back later.
         *
         * @return the settings, or {@code null} when stdin is not a terminal rwatch may switch (then keys are
         *         not read)
         */
        String save();

        /**
         * Switches to single keys: no line editing, no echo; Ctrl-C still interrupts.
         *
         * @return whether it worked
         */
        boolean singleKeys();

        /** Puts back settings that {@link #save()} returned. */
        void restore(String saved);
    }

    private static final Keys NONE = new Keys(null, null, null);

    private final Mode mode;
    private final InputStream in;
    /** The settings to put back; {@code null} when keys are not read. */
    private final String saved;
    private final Map<Character, Runnable> bindings = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Keys(Mode mode, InputStream in, String saved) {
        this.mode = mode;
        this.in = in;
        this.saved = saved;
    }

    /** Keys that are never read. */
    static Keys none() {
        return NONE;
    }

    /**
     * Switches the terminal on stdin to single keys, when it is one.
     *
     * @param in stdin
     * @return keys that are read once {@link #listen()} starts, or keys that are never read
     */
    static Keys open(Mode mode, InputStream in) {
        String saved = mode.save();
        if (saved == null) {
            return NONE;
        }
        if (!mode.singleKeys()) {
            mode.restore(saved); // a half-applied change is still a change
            return NONE;
        }
        return new Keys(mode, in, saved);
    }

    /** Whether keys are read (stdin is a terminal in single-key mode). */
    boolean reading() {
        return saved != null;
    }

    /**
     * Binds a key to an action, which runs on the reading thread: it must hand longer work on.
     *
     * @return this
     */
    Keys on(char key, Runnable action) {
        if (reading()) {
            bindings.put(Character.toLowerCase(key), action);
        }
        return this;
    }

    /** Starts reading keys, on a daemon thread; nothing when keys are not read. */
    void listen() {
        if (!reading()) {
            return;
        }
        Thread t = new Thread(this::read, "rwatch-keys");
        t.setDaemon(true);
        t.start();
    }

    private void read() {
        try {
            for (int b = in.read(); b >= 0 && !closed.get(); b = in.read()) {
                Runnable action = bindings.get(Character.toLowerCase((char) b));
                if (action != null && !closed.get()) {
                    action.run();
                }
            }
        } catch (IOException e) {
            // The terminal went away: no more keys.
        }
    }

    /** Puts the terminal's settings back; later keys do nothing. Idempotent, any thread. */
    @Override
    public void close() {
        if (reading() && closed.compareAndSet(false, true)) {
            mode.restore(saved);
        }
    }
}
