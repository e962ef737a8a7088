package io.reactivewatch.core;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A write of {@link FileStateStore} that failed, naming the state file the user chose: the exception under it
 * names whichever file the write touched (a temporary file, the journal), which a user did not ask for.
 */
final class StateWriteException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    StateWriteException(Path file, IOException cause) {
        super(file + ": " + describe(cause), cause);
        this.file = file;
    }

    /** The state file as configured (absolute, normalized). */
    Path file() {
        return file;
    }

    /** What went wrong, without the state file's name: the failure underneath, as its class and message. */
    String reason() {
        return describe((IOException) getCause());
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
