package io.reactivewatch.samples.rwatch;

import java.util.Map;

/**
 * The locale the launcher script changed for the JVM, given back to the command.
 *
 * <p>The JVM reads file names in its locale's encoding, fixed when it starts. Under a locale that is not UTF-8
 * the launcher ({@code target/rwatch}) starts the JVM with {@code LC_ALL} set to a UTF-8 locale and passes the
 * user's own value in {@value #VARIABLE} (empty when {@code LC_ALL} was not set). The command is the user's,
 * not rwatch's: it runs with {@code LC_ALL} as the user had it, and without {@value #VARIABLE}.
 */
final class LauncherLocale {

    /** The variable in which the launcher passes the user's {@code LC_ALL}. */
    static final String VARIABLE = "RWATCH_LAUNCHER_LC_ALL";

    private LauncherLocale() {
    }

    /**
     * Puts the user's {@code LC_ALL} back into {@code env}, a command's environment inherited from rwatch's,
     * when the launcher changed it; leaves {@code env} as it is otherwise.
     *
     * @param env the environment to change in place
     */
    static void handBack(Map<String, String> env) {
        String original = env.remove(VARIABLE);
        if (original == null) {
            return;
        }
        // An empty LC_ALL counts as unset for every locale-aware program, so the launcher passes both as "".
        if (original.isEmpty()) {
            env.remove("LC_ALL");
        } else {
            env.put("LC_ALL", original);
        }
    }
}
