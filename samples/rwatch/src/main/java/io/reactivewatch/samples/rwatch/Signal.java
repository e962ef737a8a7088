package io.reactivewatch.samples.rwatch;

import java.util.List;
import java.util.Locale;

/**
 * A POSIX signal by name, as {@code kill -s NAME} takes it: {@code TERM}, {@code HUP}, {@code USR1}. The
 * command line reads {@code TERM}, {@code term}, {@code SIGTERM} alike; numbers are not taken, since they
 * differ between systems.
 *
 * @param name the name without the {@code SIG} prefix, upper case
 */
record Signal(String name) {

    /** The names {@code kill(1)} knows on Linux and macOS alike. */
    static final List<String> NAMES = List.of("HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "FPE", "KILL", "USR1",
            "SEGV", "USR2", "PIPE", "ALRM", "TERM", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
            "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "SYS");

    static final Signal TERM = new Signal("TERM");
    static final Signal KILL = new Signal("KILL");
    static final Signal HUP = new Signal("HUP");

    Signal {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a signal");
        }
    }

    /**
     * Reads a signal name as the command line writes it.
     *
     * @throws IllegalArgumentException naming the text when it is not a signal
     */
    static Signal parse(String text) {
        String name = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("'" + text + "' is not a signal; use a name such as TERM, INT, HUP, "
                    + "USR1 or KILL");
        }
        return new Signal(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
