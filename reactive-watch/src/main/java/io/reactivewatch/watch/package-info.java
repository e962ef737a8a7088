/**
 * The filesystem as a source of changes for the reactive-watch engine: directory trees become a stream of
 * verified changes, which {@code io.reactivewatch.core} coalesces and reconciles single-flight.
 *
 * <p>The entry point is {@link io.reactivewatch.watch.FileSource}, a
 * {@link io.reactivewatch.core.ChangeSource}: configure roots, filters and backend on its builder and hand
 * it to {@code ReconcileDaemon.builder(reconciler).source(...)}, where every daemon option (coalescing, busy
 * policy, state store, …) is set; or subscribe to its {@code events()} on their own, no daemon needed. It
 * reports absolute, normalized paths under each root as it was given (a root given through a symbolic link
 * is reported under the link). Two backends
 * ({@link io.reactivewatch.watch.Backend}): native change notification with a tracked snapshot that turns
 * events into verified changes, and periodic snapshot diffs for filesystems without notification.
 *
 * <p>Everything here is non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.reactivewatch.watch;

import org.jspecify.annotations.NullMarked;
