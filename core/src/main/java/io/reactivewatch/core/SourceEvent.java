package io.reactivewatch.core;

/**
 * One element of the stream a daemon reconciles: either a {@link Change} of one path or a {@link Rescan}
 * marker that tells the reconciler to re-derive the truth for a subtree.
 *
 * <p>Sources (the filesystem module, a scripted test source, user code) emit these; the daemon coalesces
 * them into {@link ChangeSet}s. Events are hints: a source may emit the same change twice, and the net
 * effect rules of {@link ChangeSet} collapse repeats.
 */
public sealed interface SourceEvent permits Change, Rescan {
}
