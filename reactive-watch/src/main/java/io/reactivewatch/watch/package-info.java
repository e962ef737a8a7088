/**
 * Filesystem sources for the reactive-watch engine: a directory tree becomes a stream of verified changes,
 * coalesced and reconciled single-flight by {@code io.reactivewatch.core}.
 *
 * <p>The entry point is {@link io.reactivewatch.watch.WatchDaemon}: configure roots, filters, backend and
 * coalescing on its builder, {@code start()} it, {@code close()} it. Two backends
 * ({@link io.reactivewatch.watch.Backend}): native change notification with a tracked snapshot that turns
 * events into verified changes, and periodic snapshot diffs for filesystems without notification.
 */
package io.reactivewatch.watch;
