package io.reactivewatch.samples.rwatch;

/**
 * The error a reconcile ends with when the command exited non-zero or could not be started, so the core's
 * own outcome of the tick is {@code failed} and its changes stay pending. No stack trace: it reports a
 * command's exit, not a fault in rwatch.
 */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CommandResult result;

    CommandFailure(CommandResult result) {
        super(result.failure() != null ? result.failure() : "exit status " + result.exitCode(), null, false, false);
        this.result = result;
    }

    /** How the command ended. */
    CommandResult result() {
        return result;
    }
}
