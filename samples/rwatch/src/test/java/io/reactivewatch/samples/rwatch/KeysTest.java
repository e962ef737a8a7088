package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeysTest {

    private final PipedOutputStream typing = new PipedOutputStream();
    private final PipedInputStream stdin;
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger quits = new AtomicInteger();

    KeysTest() throws IOException {
        stdin = new PipedInputStream(typing);
    }

    @AfterEach
    void hangUp() throws IOException {
        typing.close();
    }

    private Keys bound(Keys keys) {
        return keys.on('r', runs::incrementAndGet).on('q', quits::incrementAndGet);
    }

    private int available() {
        try {
            return stdin.available();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void type(String keys) throws IOException {
        typing.write(keys.getBytes(StandardCharsets.US_ASCII));
        typing.flush();
    }

    @Test
    void onATerminalEachKeyActsAtOnceAndOtherKeysDoNothing() throws IOException {
        RecordingMode terminal = new RecordingMode("saved-settings", true);
        Keys keys = bound(Keys.open(terminal, stdin));
        keys.listen();
        assertThat(keys.reading()).isTrue();
        assertThat(terminal.calls).containsExactly("save", "single keys");

        type("xr");
        Await.until("r to run", () -> runs.get() == 1);
        type("R q");
        Await.until("q to quit", () -> quits.get() == 1);
        assertThat(runs).hasValue(2);

        keys.close();
        keys.close();
        assertThat(terminal.calls).containsExactly("save", "single keys", "restore saved-settings");
    }

    @Test
    void keysAfterCloseDoNothing() throws IOException {
        Keys keys = bound(Keys.open(new RecordingMode("s", true), stdin));
        keys.listen();
        type("r");
        Await.until("r to run", () -> runs.get() == 1);

        keys.close();
        type("rq");
        // The reader takes the next key, sees it is closed and ends: the q is left unread, nothing ran.
        Await.until("the r to be taken", () -> available() == 1);
        assertThat(runs).hasValue(1);
        assertThat(quits).hasValue(0);
    }

    @Test
    void withoutATerminalNothingIsReadAndNothingIsSwitched() throws IOException {
        RecordingMode notATerminal = new RecordingMode(null, true);
        Keys keys = bound(Keys.open(notATerminal, stdin));
        keys.listen();
        type("rq");

        assertThat(keys.reading()).isFalse();
        assertThat(stdin.available()).as("nobody reads stdin").isEqualTo(2);
        keys.close();
        assertThat(notATerminal.calls).containsExactly("save");
    }

    @Test
    void aTerminalThatRefusesSingleKeysGetsItsSettingsBackAndIsNotRead() {
        RecordingMode refusing = new RecordingMode("before", false);
        Keys keys = Keys.open(refusing, stdin);

        assertThat(keys.reading()).isFalse();
        keys.close();
        assertThat(refusing.calls).containsExactly("save", "single keys", "restore before");
    }
}
