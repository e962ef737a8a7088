package io.reactivewatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StateWriteExceptionTest {

    private final Path file = Path.of("/var/lib/app/state.json");

    @Test
    void namesTheStateFileThenWhatFailedUnderIt() {
        StateWriteException e = new StateWriteException(file, new AccessDeniedException("/var/lib/app/.state.json.1.tmp"));
        assertThat(e.file()).isEqualTo(file);
        assertThat(e.reason()).isEqualTo("AccessDeniedException: /var/lib/app/.state.json.1.tmp");
        assertThat(e).hasMessage(file + ": AccessDeniedException: /var/lib/app/.state.json.1.tmp")
                .hasCauseInstanceOf(AccessDeniedException.class);
    }

    @Test
    void aFailureWithoutAMessageIsNamedByItsClass() {
        StateWriteException e = new StateWriteException(file, new IOException());
        assertThat(e.reason()).isEqualTo("IOException");
        assertThat(e).hasMessage(file + ": IOException");
    }
}
