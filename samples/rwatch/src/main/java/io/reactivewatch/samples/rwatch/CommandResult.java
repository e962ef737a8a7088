package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.TickResult;

/**
 * How the command of one tick ended. A command that exited 0 is the reconcile's value; any other end fails
 * the reconcile with a {@link CommandFailure} that carries this result (see {@link CommandReconciler}).
 *
 * @param exitCode the exit status, or {@code null} when the command could not be started
 * @param failure  why it could not be started, or {@code null}
 */
record CommandResult(Integer exitCode, String failure) {

    static CommandResult exited(int exitCode) {
        return new CommandResult(exitCode, null);
    }

    static CommandResult notStarted(String failure) {
        return new CommandResult(null, failure);
    }

    boolean succeeded() {
        return failure == null && exitCode != null && exitCode == 0;
    }

    /**
     * The command's result for a tick, whatever its outcome: the value of an {@code ok} tick, the result a
     * {@link CommandFailure} carries for a {@code failed} one.
     *
     * @return the result, or {@code null} when no command ran to an end (none given, cancelled, timed out)
     */
    static CommandResult of(TickResult<CommandResult> tick) {
        if (tick.value() != null) {
            return tick.value();
        }
        return tick.error() instanceof CommandFailure f ? f.result() : null;
    }
}
