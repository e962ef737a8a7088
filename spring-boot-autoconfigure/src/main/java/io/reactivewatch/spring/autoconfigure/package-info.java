/**
 * Spring Boot auto-configuration for reactive-watch: named watchers from {@code reactive-watch.*} properties
 * ({@link io.reactivewatch.spring.autoconfigure.ReactiveWatchProperties}), started and stopped with the
 * application ({@link io.reactivewatch.spring.autoconfigure.ReactiveWatchers}), a health indicator per
 * watcher, the {@code watch} actuator endpoint, and metrics when Micrometer is present.
 *
 * <p>Everything here is non-null unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.reactivewatch.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
