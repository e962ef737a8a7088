package io.reactivewatch.samples.rwatch;

/**
 * How the command of one tick ended. The reconcile itself always succeeds with this value, so a failing
 * command is not retried (see {@link CommandReconciler}).
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
}
