package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalTest {

    private static final String CLEAR = "\r\033[K";
    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutATerminalOnlyPermanentLinesAreWritten() {
        Terminal t = new Terminal(err, false);
        t.status("s1");
        t.line("tick 1");
        t.close();
        assertThat(written()).isEqualTo("tick 1" + NL);
    }

    @Test
    void onATerminalTheStatusLineStaysBelowPermanentLines() {
        Terminal t = new Terminal(err, true);
        t.status("s1");
        t.status("s2");
        t.line("tick 1");
        t.close();
        assertThat(written()).isEqualTo("s1" + CLEAR + "s2" + CLEAR + "tick 1" + NL + "s2" + CLEAR);
    }

    @Test
    void theStatusLineIsHiddenWhileTheCommandOwnsTheTerminal() {
        Terminal t = new Terminal(err, true);
        t.status("s1");
        t.commandStarting();
        t.status("s2");
        t.commandEnded();
        t.line("tick 1");
        assertThat(written()).isEqualTo("s1" + CLEAR + "tick 1" + NL + "s2");
    }

    @Test
    void withClearingTheScreenIsClearedOnStdoutBeforeEachRunAfterTheStatusLineIsGone() {
        // stdout and stderr into one stream, as on a terminal: the order between them shows.
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Terminal t = new Terminal(err, true);
        t.clearBeforeRuns(out);
        t.status("s1");
        t.commandStarting();
        t.commandEnded();
        t.commandStarting();

        assertThat(written()).isEqualTo("s1" + CLEAR + Terminal.CLEAR_SCREEN + Terminal.CLEAR_SCREEN);
    }

    @Test
    void withoutClearingTheScreenIsNeverCleared() {
        Terminal t = new Terminal(err, true);
        t.commandStarting();
        t.line("tick 1");
        assertThat(written()).doesNotContain("\033[2J").isEqualTo("tick 1" + NL);
    }

    @Test
    void nothingIsWrittenAfterClose() {
        Terminal t = new Terminal(err, true);
        t.close();
        t.line("late");
        t.status("late");
        assertThat(written()).isEmpty();
    }
}
