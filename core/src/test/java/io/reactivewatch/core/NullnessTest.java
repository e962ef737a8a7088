package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.AnnotatedType;
import java.lang.reflect.RecordComponent;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The public API states its nullness: the package is null-marked, and what javadoc calls nullable is annotated. */
class NullnessTest {

    @Test
    void thePackageIsNullMarked() {
        assertThat(ReconcileDaemon.class.getPackage().isAnnotationPresent(NullMarked.class)).isTrue();
    }

    private static boolean nullable(Class<? extends Record> type, String component) {
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getName().equals(component)) {
                AnnotatedType t = c.getAnnotatedType();
                return t.isAnnotationPresent(Nullable.class);
            }
        }
        throw new AssertionError("no component " + component);
    }

    @Test
    void componentsDocumentedAsNullableAreAnnotated() throws Exception {
        assertThat(nullable(DaemonStatus.class, "lastError")).isTrue();
        assertThat(nullable(DaemonStatus.class, "maxBatch")).isTrue();
        assertThat(nullable(DaemonStatus.class, "tickCount")).isFalse();
        assertThat(nullable(TickResult.class, "value")).isTrue();
        assertThat(nullable(TickResult.class, "tick")).isFalse();
        assertThat(nullable(SourceDescription.class, "backendError")).isTrue();
        assertThat(nullable(DaemonState.class, "source")).isTrue();
        assertThat(ChangeSource.class.getMethod("checkpoint").getAnnotatedReturnType()
                .isAnnotationPresent(Nullable.class)).isTrue();
    }
}
