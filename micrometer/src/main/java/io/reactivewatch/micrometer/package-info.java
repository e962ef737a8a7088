/**
 * Micrometer for a {@link io.reactivewatch.core.ReconcileDaemon}, without Spring: its meters on any
 * {@code MeterRegistry} ({@link io.reactivewatch.micrometer.ReconcileDaemonMetrics}) and one
 * {@code Observation} per tick ({@link io.reactivewatch.micrometer.ReconcileDaemonObservation}).
 *
 * <p>Everything here is non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.reactivewatch.micrometer;

import org.jspecify.annotations.NullMarked;
