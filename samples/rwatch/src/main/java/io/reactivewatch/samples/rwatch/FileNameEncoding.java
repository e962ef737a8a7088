package io.reactivewatch.samples.rwatch;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.function.Function;

/**
 * The encoding the JVM turns file names into strings with, and what rwatch says when it is not UTF-8.
 *
 * <p>The JVM fixes it at start-up from the locale ({@code LANG}, {@code LC_ALL}, {@code LC_CTYPE}) and reports
 * it as {@code sun.jnu.encoding}; it cannot be changed afterwards, and setting that property on the command
 * line has no effect. Under the C/POSIX locale it is ASCII, and a name with a byte that ASCII does not have is
 * read wrongly: rwatch would report (in ticks, {@code RWATCH_CHANGED_PATHS} and the changes file) a path that
 * is not the file's. The cure is a UTF-8 locale.
 */
final class FileNameEncoding {

    private FileNameEncoding() {
    }

    /**
     * The file-name encoding: {@code sun.jnu.encoding}, or where a JVM lacks it {@code native.encoding} (the
     * locale's, Java 17+), then {@code file.encoding}.
     *
     * @return the name as the JVM reports it, or {@code null} if none is set
     */
    static String of(Function<String, String> systemProperties) {
        for (String key : new String[] {"sun.jnu.encoding", "native.encoding", "file.encoding"}) {
            String value = systemProperties.apply(key);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    /**
     * The one warning for a JVM that does not read file names as UTF-8.
     *
     * @return the message (without the {@code rwatch: } prefix), or {@code null} when names are read as UTF-8
     *         or the encoding is not known
     */
    static String warning(Function<String, String> systemProperties) {
        String encoding = of(systemProperties);
        if (encoding == null || isUtf8(encoding)) {
            return null;
        }
        return "file names are read as " + encoding + ", not UTF-8, so a name that is not valid " + encoding
                + " is misreported; run rwatch under a UTF-8 locale (LANG=C.UTF-8, for example)";
    }

    private static boolean isUtf8(String name) {
        try {
            return Charset.forName(name).equals(StandardCharsets.UTF_8);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return false;
        }
    }
}
