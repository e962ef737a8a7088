package io.reactivewatch.core;

import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link ReconcileDaemon}'s changes come from: the service-provider interface that the filesystem
 * module's {@code FileSource}, a scripted test source or user code implement. One object supplies the
 * events, its part of the persisted state, its status description and its trigger.
 *
 * <p>Life of a source inside a daemon, all driven by the daemon:
 * <ol>
 *   <li>{@link #open(SourceContext)} once, from {@link ReconcileDaemon#start()} on its caller's thread; it may
 *       block (walk a tree, register watches) and returns what changed while the daemon was down.</li>
 *   <li>{@link #events()} subscribed once, right after; cancelled when the daemon stops.</li>
 *   <li>{@link #checkpoint()} or {@link #checkpointChanges()} whenever the daemon persists, one call at a
 *       time, on the daemon's I/O scheduler.</li>
 *   <li>{@link #close()} once, after the daemon stopped, on the I/O scheduler. A source whose {@code open}
 *       throws releases what it had acquired itself: the daemon does not call {@code close()} then.</li>
 * </ol>
 * {@link #describe()} may be called from any thread at any time and must be cheap and lock-free with
 * respect to the daemon (it must not call back into it).
 *
 * <p>Events are hints: a source may emit a change twice, and the net-effect rules of {@link ChangeSet}
 * collapse repeats. The daemon merges every event into its pending set the moment it arrives, on the
 * source's thread, and never runs user code there.
 *
 * <p>To never lose a change across a restart, a source that persists a section must update what
 * {@link #checkpoint()} (and {@link #checkpointChanges()}) returns and emit the matching event atomically with
 * respect to that call (the daemon takes the checkpoint first, then its pending set).
 */
public interface ChangeSource {

    /**
     * A source of nothing but the given events, with no persisted section.
     *
     * @param events the events; subscribed once by the daemon
     * @return the source
     * @throws NullPointerException if {@code events} is null
     */
    static ChangeSource of(Flux<? extends SourceEvent> events) {
        Checks.requireNonNull("source", events);
        return () -> events.map(SourceEvent.class::cast);
    }

    /**
     * Prepares the source and restores it from its persisted section. Called once, before {@link #events()}.
     *
     * @param context the persisted section, if any, and what the daemon itself writes
     * @return what changed while the daemon was down, delivered in the {@link Trigger#STARTUP} tick; empty if
     *         nothing did (or nothing can be known)
     * @throws RuntimeException if the source cannot start; {@code start()} then fails with it (an
     *                          {@link IllegalArgumentException} or {@link IllegalStateException} passes
     *                          through unchanged, so its message can name a bad setting)
     */
    default List<SourceEvent> open(SourceContext context) {
        return List.of();
    }

    /**
     * The source's events. Subscribed once by the daemon, after {@link #open}; cancelled at stop. An error
     * ends only the source and is recorded in the daemon's status ({@code backendError}).
     *
     * @return the events
     */
    Flux<SourceEvent> events();

    /**
     * The trigger the source's events carry: {@link Trigger#WATCH} (default) for event-driven sources,
     * {@link Trigger#POLL} for polling ones.
     *
     * @return {@code WATCH} or {@code POLL}
     */
    default Trigger trigger() {
        return Trigger.WATCH;
    }

    /**
     * What some paths are now, asked right after {@link #open} for the paths of the tick that was running
     * when the daemon last persisted (a crash, a kill) and of the changes that were pending then. Whether the
     * reconciler saw the running tick's changes is uncertain, so they are delivered again as their current
     * truth: modified if the path exists, deleted if not (never created, which a later deletion would cancel
     * although the reconciler may know the path). A pending change may be newer than the persisted section
     * (the daemon takes the section first), so diffing against the section can invent it or lose a deletion;
     * instead, its kind says what the reconciler last saw (created: nothing; modified or deleted: the path),
     * and the truth what to tell it now (nothing when the two agree). Only whether each path exists, and its
     * entry type, are used.
     *
     * @param paths the paths whose delivery is uncertain, or whose pending change may be newer than the section
     * @return for each path it can tell, a change saying what it is now ({@link ChangeKind#CREATED} or
     *         {@link ChangeKind#MODIFIED} if it exists, {@link ChangeKind#DELETED} if not); {@code null} if it
     *         cannot tell (the default), and the daemon then keeps those changes as they were, merged with what
     *         {@link #open} returned
     */
    default @Nullable List<Change> currentTruth(List<java.nio.file.Path> paths) {
        return null;
    }

    /**
     * The section to persist now, opaque to the daemon, handed back to {@link #open} on the next start.
     *
     * @return the section, or {@code null} for none
     */
    default @Nullable String checkpoint() {
        return null;
    }

    /**
     * What changed in the section since the previous {@link #checkpoint()} or {@code checkpointChanges()}
     * call, opaque to the daemon, so a journaling {@link StateStore} can append a record proportional to what
     * changed instead of rewriting the whole section. On the next start {@link #open} gets the last full
     * section ({@link SourceContext#persisted()}) and every change written after it, in order
     * ({@link SourceContext#persistedChanges()}); the source applies them itself.
     *
     * <p>The daemon takes a full {@link #checkpoint()} for its first write of a run, whenever the store asks to
     * compact, and after any failed write (whatever this method returned then is not on disk, and only a full
     * section covers it again), so a source may forget what it handed out once it returned.
     *
     * <p>The default suits both kinds of simple source: one without a section reports no changes ({@code ""});
     * one that overrides only {@link #checkpoint()} cannot tell ({@code null}), and gets full checkpoints.
     *
     * @return the changes, {@code ""} when nothing changed, or {@code null} when the source cannot tell (the
     *         daemon then takes a full {@link #checkpoint()})
     */
    default @Nullable String checkpointChanges() {
        return checkpoint() == null ? "" : null;
    }

    /**
     * Completes once every change made to what the source watches before this call has been emitted from
     * {@link #events()} (and so merged into the daemon's pending set). Called by
     * {@link ReconcileDaemon#sync()} and {@link ReconcileDaemon#tickNow()}, on the caller's thread: a source
     * that must block or write to get there does so on a thread of its own. The daemon bounds the wait with
     * its sync timeout and cancels the returned {@code Mono} when it passes, so the source can clean up.
     *
     * <p>The default completes at once: right for a source whose events are emitted synchronously by the
     * code that makes the change, and the best a source can do that has no way to tell.
     *
     * @return a {@code Mono} that completes when the source has caught up; an error is logged by the daemon,
     *         which then goes on as after a timeout
     */
    default Mono<Void> sync() {
        return Mono.empty();
    }

    /**
     * What the source says about itself in {@link DaemonStatus}.
     *
     * @return a description; never {@code null}
     */
    default SourceDescription describe() {
        return SourceDescription.NONE;
    }

    /**
     * Releases what the source holds (a watch service, a thread). Called once, after the daemon stopped (not
     * after a failed {@link #open}). May block briefly.
     */
    default void close() {
    }
}
