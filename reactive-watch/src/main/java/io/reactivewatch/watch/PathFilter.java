package io.reactivewatch.watch;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.jspecify.annotations.Nullable;

/**
 * Which paths a source tracks. Immutable; the {@code .gitignore} part lives in {@link GitIgnores}.
 *
 * <p>An entry is left out when any of these holds, in order: it is a built-in ignore (version control
 * directories, editor swap, backup, lock and probe files, sync cookie files); it is one of the daemon's own files (its state
 * store's: {@link io.reactivewatch.core.SourceContext#isDaemonFile}); it matches an exclude glob;
 * {@code .gitignore} rules ignore it; or, for a file only, include globs are set and none matches, or
 * extensions are set and its extension is not among them. Globs use
 * {@code .gitignore} syntax relative to the watch root ({@code src/**}{@code /*.java}, {@code build/},
 * {@code *.log} at any depth). A left-out directory is not watched, walked or reported.
 */
final class PathFilter {

    static {
        QuietSlf4j.whenNoProvider(); // before the first JGit class loads
    }

    private final List<FastIgnoreRule> includes;
    private final List<FastIgnoreRule> excludes;
    private final Set<String> extensions;
    private final Predicate<Path> daemonFiles;

    PathFilter(List<String> includes, List<String> excludes, Set<String> extensions, Predicate<Path> daemonFiles) {
        this.includes = includes.stream().map(FastIgnoreRule::new).toList();
        this.excludes = excludes.stream().map(FastIgnoreRule::new).toList();
        this.extensions = extensions.stream().map(PathFilter::normalizeExtension).collect(
                java.util.stream.Collectors.toUnmodifiableSet());
        this.daemonFiles = daemonFiles;
    }

    static PathFilter none() {
        return new PathFilter(List.of(), List.of(), Set.of(), p -> false);
    }

    static String normalizeExtension(String ext) {
        String e = ext.startsWith(".") ? ext.substring(1) : ext;
        return e.toLowerCase(Locale.ROOT);
    }

    /** Whether {@link #accepts} looks at the relative path at all (it does only for globs). */
    boolean needsRelativePath() {
        return !includes.isEmpty() || !excludes.isEmpty();
    }

    /** Whether directory changes are reported: only when no include glob or extension narrows to files. */
    boolean reportsDirectories() {
        return includes.isEmpty() && extensions.isEmpty();
    }

    /**
     * Whether an entry is tracked.
     *
     * @param path its absolute path
     * @param rel  its path relative to the watch root, {@code /}-separated; may be {@code null} when
     *             {@link #needsRelativePath()} is false
     * @param name its file name
     * @param dir  whether it is a directory
     * @param git  the {@code .gitignore} rules of its directory
     */
    boolean accepts(Path path, @Nullable String rel, String name, boolean dir, GitIgnores.Chain git) {
        if (builtinIgnored(name, dir) || daemonFiles.test(path)) {
            return false;
        }
        for (FastIgnoreRule rule : excludes) {
            if (rule.isMatch(rel, dir, false) && rule.getResult()) {
                return false;
            }
        }
        if (git.ignored(name, dir)) {
            return false;
        }
        if (dir) {
            return true;
        }
        if (!extensions.isEmpty() && !extensions.contains(extensionOf(name))) {
            return false;
        }
        if (includes.isEmpty()) {
            return true;
        }
        for (FastIgnoreRule rule : includes) {
            if (rule.isMatch(rel, false, true)) {
                return true;
            }
        }
        return false;
    }

    static boolean builtinIgnored(String name, boolean dir) {
        if (name.equals(".git") || name.equals(".hg") || name.equals(".svn")) {
            return true;
        }
        if (dir) {
            return false;
        }
        int n = name.length();
        // Only names that cannot be a user's real file. vim's write probe "4913" can be (a file of that name is
        // never reported otherwise); the probe is created and deleted at once, so net effect drops it anyway.
        return name.endsWith("~")                                // backups
                || name.startsWith(".#")                             // emacs locks
                || (n > 1 && name.charAt(0) == '#' && name.charAt(n - 1) == '#') // emacs auto-save
                || isVimSwap(name)
                || name.endsWith(".kate-swp")
                || name.endsWith("___jb_tmp___") || name.endsWith("___jb_old___") // JetBrains safe write
                || SyncBarrier.isCookie(name);                           // ours, or another watcher's
    }

    private static boolean isVimSwap(String name) {
        int n = name.length();
        if (n < 5 || name.charAt(n - 4) != '.' || name.charAt(n - 3) != 's' || name.charAt(n - 2) != 'w') {
            return false;
        }
        char last = name.charAt(n - 1);
        if (last == 'p' || last == 'o' || last == 'x') {
            return true;
        }
        // Further swap files count down .swn ... .swa; only hidden ones, so a real "movie.swf" stays visible.
        return name.charAt(0) == '.' && last >= 'a' && last <= 'n';
    }

    private static String extensionOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
