package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileNameEncodingTest {

    private static Map<String, String> props(String... keyValues) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void theFileNameEncodingIsSunJnuEncodingThenNativeThenFileEncoding() {
        assertThat(FileNameEncoding.of(props("sun.jnu.encoding", "ANSI_X3.4-1968", "native.encoding", "UTF-8",
                "file.encoding", "UTF-8")::get)).isEqualTo("ANSI_X3.4-1968");
        assertThat(FileNameEncoding.of(props("native.encoding", "ISO-8859-1", "file.encoding", "UTF-8")::get))
                .isEqualTo("ISO-8859-1");
        assertThat(FileNameEncoding.of(props("file.encoding", "Cp1252")::get)).isEqualTo("Cp1252");
        assertThat(FileNameEncoding.of(props("sun.jnu.encoding", " ", "file.encoding", "UTF-8")::get)).isEqualTo("UTF-8");
        assertThat(FileNameEncoding.of(props()::get)).isNull();
    }

    @Test
    void utf8UnderAnyOfItsNamesNeedsNoWarning() {
        assertThat(FileNameEncoding.warning(props("sun.jnu.encoding", "UTF-8")::get)).isNull();
        assertThat(FileNameEncoding.warning(props("sun.jnu.encoding", "utf8")::get)).isNull();
        assertThat(FileNameEncoding.warning(props()::get)).as("nothing known, nothing said").isNull();
    }

    @Test
    void anotherEncodingIsOneLineNamingItAndTheCure() {
        // What a JVM started under LANG=C reports.
        String w = FileNameEncoding.warning(props("sun.jnu.encoding", "ANSI_X3.4-1968", "file.encoding", "UTF-8")::get);
        assertThat(w).isEqualTo("file names are read as ANSI_X3.4-1968, not UTF-8, so a name that is not valid "
                + "ANSI_X3.4-1968 is misreported; run rwatch under a UTF-8 locale (LANG=C.UTF-8, for example)");
        assertThat(w.lines()).hasSize(1);
        assertThat(FileNameEncoding.warning(props("sun.jnu.encoding", "ISO-8859-1")::get)).contains("ISO-8859-1");
    }

    @Test
    void anEncodingTheJvmDoesNotKnowIsWarnedAboutToo() {
        assertThat(FileNameEncoding.warning(props("sun.jnu.encoding", "x-no-such-charset")::get))
                .contains("x-no-such-charset", "not UTF-8");
        assertThat(FileNameEncoding.warning(props("sun.jnu.encoding", "bad name!")::get)).contains("bad name!");
    }
}
