package io.reactivewatch.core;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the builders and value factories: each names the setting it rejects. */
final class Checks {

    private Checks() {
    }

    static <T> T requireNonNull(String name, T value) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    static Duration requirePositive(String name, Duration value) {
        requireNonNull(name, value);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static Duration requireNonNegative(String name, Duration value) {
        requireNonNull(name, value);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
        return value;
    }

    static int requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }
}
