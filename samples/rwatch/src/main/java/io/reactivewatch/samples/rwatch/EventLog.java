package io.reactivewatch.samples.rwatch;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the {@code --events-json} lines, one JSON object per line, flushed as written, from any thread.
 *
 * <p>The first line is always {@code ready}: a tick or error that finishes before it (the start-up tick runs
 * while the daemon starts) is held back and written right after it. Nothing is written after
 * {@code stopped}. If the output breaks (a reader closed the pipe) the log says so once and goes quiet; the
 * watch itself goes on.
 */
final class EventLog implements AutoCloseable {

    private final Writer out;
    private final boolean ownsStream;
    private final Consumer<String> onBroken;
    private final List<ObjectNode> heldBack = new ArrayList<>();
    private boolean ready;
    private boolean stopped;
    private boolean broken;

    private EventLog(Writer out, boolean ownsStream, Consumer<String> onBroken) {
        this.out = out;
        this.ownsStream = ownsStream;
        this.onBroken = onBroken;
    }

    /** A log that writes nothing. */
    static EventLog disabled() {
        return new EventLog(null, false, m -> { });
    }

    /** A log on a stream it does not close (stdout). */
    static EventLog to(OutputStream stream, Consumer<String> onBroken) {
        return new EventLog(writer(stream), false, onBroken);
    }

    /** A log on a file, created or truncated now. */
    static EventLog toFile(Path file, Consumer<String> onBroken) throws IOException {
        return new EventLog(writer(Files.newOutputStream(file)), true, onBroken);
    }

    private static Writer writer(OutputStream stream) {
        return new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
    }

    synchronized void ready(ObjectNode line) {
        if (ready) {
            return;
        }
        ready = true;
        write(line);
        heldBack.forEach(this::write);
        heldBack.clear();
    }

    /** A {@code tick} or {@code error} line. */
    synchronized void event(ObjectNode line) {
        if (stopped) {
            return;
        }
        if (!ready) {
            heldBack.add(line);
            return;
        }
        write(line);
    }

    synchronized void stopped(ObjectNode line) {
        if (stopped) {
            return;
        }
        if (!ready) {
            // A run that never became ready reports nothing, not a stop without a start.
            heldBack.clear();
            stopped = true;
            return;
        }
        write(line);
        stopped = true;
    }

    private void write(ObjectNode line) {
        if (out == null || broken) {
            return;
        }
        try {
            out.write(EventJson.MAPPER.writeValueAsString(line));
            out.write('\n');
            out.flush();
        } catch (IOException | JacksonException e) {
            broken = true;
            onBroken.accept("cannot write --events-json any more: " + e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (out == null) {
            return;
        }
        try {
            if (ownsStream) {
                out.close();
            } else {
                out.flush();
            }
        } catch (IOException e) {
            // Nothing more can be said on a stream that cannot be flushed.
        }
    }
}
