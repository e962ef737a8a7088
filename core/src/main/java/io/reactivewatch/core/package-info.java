/**
 * The filesystem-free engine: the change algebra ({@link io.reactivewatch.core.Change},
 * {@link io.reactivewatch.core.ChangeSet}), coalescing ({@link io.reactivewatch.core.Coalescing}), the
 * single-flight daemon ({@link io.reactivewatch.core.ReconcileDaemon}) with its status, retry and busy
 * policies, the source SPI ({@link io.reactivewatch.core.ChangeSource}) and persisted state
 * ({@link io.reactivewatch.core.StateStore}).
 *
 * <p>Everything here is non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.reactivewatch.core;

import org.jspecify.annotations.NullMarked;
