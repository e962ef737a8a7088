package io.reactivewatch.watch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * The {@code .gitignore} rules of a watched tree, one JGit {@link IgnoreNode} per directory that has a
 * {@code .gitignore}, plus {@code .git/info/exclude} of every repository top met. Git's precedence: the
 * deepest {@code .gitignore} with a matching rule decides (its last matching rule, so negation works),
 * then the parents', then {@code info/exclude}. Thread-safe: scans load rules from several threads.
 */
final class GitIgnores {

    static {
        QuietSlf4j.whenNoProvider(); // before the first JGit class loads
    }

    static final String FILE_NAME = ".gitignore";

    private final Map<Path, IgnoreNode> rules = new ConcurrentHashMap<>();
    private final Map<Path, IgnoreNode> excludes = new ConcurrentHashMap<>();

    /**
     * Reads the rules of one directory again: its {@code .gitignore} and, if it is a repository top, its
     * {@code .git/info/exclude}. Missing files clear what was known.
     */
    void load(Path dir) {
        put(rules, dir, dir.resolve(FILE_NAME));
        put(excludes, dir, dir.resolve(".git").resolve("info").resolve("exclude"));
    }

    /** Like {@link #load}, but skips the reads a directory listing already showed to be pointless. */
    void update(Path dir, boolean hasGitignore, boolean hasGitDir) {
        if (hasGitignore) {
            put(rules, dir, dir.resolve(FILE_NAME));
        } else {
            rules.remove(dir);
        }
        if (hasGitDir) {
            put(excludes, dir, dir.resolve(".git").resolve("info").resolve("exclude"));
        } else {
            excludes.remove(dir);
        }
    }

    /**
     * Loads the rules above a watch root up to the top of the git repository that contains it, if any, so a
     * root inside a repository obeys the repository's ignore files as git does.
     */
    void loadAbove(Path root) {
        List<Path> chain = new ArrayList<>();
        for (Path d = root.getParent(); d != null; d = d.getParent()) {
            chain.add(d);
            if (Files.exists(d.resolve(".git"))) {
                chain.forEach(this::load);
                return;
            }
        }
    }

    /** Forgets the rules of {@code dir} and every directory under it. */
    void forget(Path dir) {
        rules.keySet().removeIf(d -> d.startsWith(dir));
        excludes.keySet().removeIf(d -> d.startsWith(dir));
    }

    boolean isEmpty() {
        return rules.isEmpty() && excludes.isEmpty();
    }

    /** The rules that apply to the entries of {@code dir}, deepest first. */
    Chain chain(Path dir) {
        if (isEmpty()) {
            return Chain.NONE;
        }
        List<Level> levels = new ArrayList<>(2);
        List<Level> repoLevels = new ArrayList<>(1);
        String prefix = "";
        for (Path d = dir; d != null; d = d.getParent()) {
            IgnoreNode node = rules.get(d);
            if (node != null) {
                levels.add(new Level(prefix, node));
            }
            IgnoreNode exclude = excludes.get(d);
            if (exclude != null) {
                repoLevels.add(new Level(prefix, exclude));
            }
            Path name = d.getFileName();
            if (name != null) {
                prefix = prefix.isEmpty() ? name.toString() : name + "/" + prefix;
            }
        }
        levels.addAll(repoLevels);
        return levels.isEmpty() ? Chain.NONE : new Chain(levels);
    }

    private static void put(Map<Path, IgnoreNode> map, Path dir, Path file) {
        IgnoreNode node = new IgnoreNode();
        try (InputStream in = Files.newInputStream(file)) {
            node.parse(file.toString(), in);
        } catch (NoSuchFileException e) {
            map.remove(dir);
            return;
        } catch (IOException e) {
            // A .gitignore we cannot read (a directory by that name, permissions) contributes no rules.
            map.remove(dir);
            return;
        }
        if (node.getRules().isEmpty()) {
            map.remove(dir);
        } else {
            map.put(dir, node);
        }
    }

    private record Level(String prefix, IgnoreNode node) {
    }

    /** The rules for the entries of one directory. */
    static final class Chain {
        static final Chain NONE = new Chain(List.of());

        private final List<Level> levels;

        private Chain(List<Level> levels) {
            this.levels = levels;
        }

        boolean ignored(String name, boolean dir) {
            for (Level level : levels) {
                String path = level.prefix().isEmpty() ? name : level.prefix() + "/" + name;
                Boolean ignored = level.node().checkIgnored(path, dir);
                if (ignored != null) {
                    return ignored;
                }
            }
            return false;
        }
    }
}
