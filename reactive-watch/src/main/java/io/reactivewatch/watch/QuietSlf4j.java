package io.reactivewatch.watch;

import java.util.ServiceLoader;

/**
 * JGit, which reads the ignore rules, logs through SLF4J; this library logs through {@link System.Logger}.
 * An application without an SLF4J provider would see SLF4J's "No SLF4J providers were found" warning on
 * stderr the first time a filter is built, for a library it never chose to log with. When no provider is on
 * the class path and the application has not chosen one ({@code -Dslf4j.provider}), this selects SLF4J's
 * own no-operation provider, which is what SLF4J falls back to anyway, minus the warning (and sets SLF4J's
 * internal verbosity to {@code WARN} unless set, so choosing it prints nothing either). An application
 * with a provider (Logback, {@code slf4j-simple}, the JDK bridge) is left alone and gets JGit's messages.
 */
final class QuietSlf4j {

    static final String PROPERTY = "slf4j.provider";
    static final String NOP = "org.slf4j.helpers.NOP_FallbackServiceProvider";
    /** SLF4J's own start-up messages; at its default, choosing a provider by property prints one line. */
    static final String VERBOSITY = "slf4j.internal.verbosity";

    private QuietSlf4j() {
    }

    /** Runs before any JGit class is loaded: from the static initializers of the classes that use JGit. */
    static void whenNoProvider() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        try {
            Class<?> spi = Class.forName("org.slf4j.spi.SLF4JServiceProvider", false, QuietSlf4j.class.getClassLoader());
            if (ServiceLoader.load(spi, QuietSlf4j.class.getClassLoader()).findFirst().isEmpty()) {
                System.setProperty(PROPERTY, NOP);
                if (System.getProperty(VERBOSITY) == null) {
                    System.setProperty(VERBOSITY, "WARN");
                }
            }
        } catch (ClassNotFoundException | LinkageError | SecurityException | java.util.ServiceConfigurationError e) {
            // No SLF4J 2 on the class path, or a provider that cannot load: leave SLF4J to decide.
        }
    }
}
