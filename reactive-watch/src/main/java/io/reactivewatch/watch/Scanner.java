package io.reactivewatch.watch;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinPool;

/**
 * Walks a directory tree into a {@link Snapshot}, applying the filters and loading {@code .gitignore} rules
 * as it goes. With a watch hook, each directory is registered before it is listed, so anything created in it
 * after the listing raises an event: nothing falls between the walk and the watch. Optionally runs on a
 * fork-join pool (start-up of large trees); the hook must then be thread-safe.
 *
 * <p>The scanner of a file root ({@code singleFile}) only stats its root: a snapshot of that one file, or an
 * absent one when nothing, or a directory, is at the path (a directory there is not the file, and is never
 * walked).
 */
final class Scanner {

    /** Called for a directory before it is listed. */
    interface WatchHook {
        /**
         * Registers a watch on {@code dir}.
         *
         * @param fileKey the digest of the directory's file key as the walk read it ({@link Stat#key()}; 0 when
         *                the platform has none), which tells the directory from another one at the same path
         * @return {@code false} if it failed; the directory and everything under it is then walked without
         *         watching (the caller polls it)
         */
        boolean register(Path dir, long fileKey);
    }

    /** Told about entries that could not be read; the walk goes on. */
    interface ErrorHook {
        void failed(Path path, IOException error);
    }

    private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::name);

    private final Path root;
    private final PathFilter filter;
    private final GitIgnores git;
    private final boolean vcsIgnore;
    private final boolean followLinks;
    private final ErrorHook errors;
    private final boolean singleFile;

    Scanner(Path root, PathFilter filter, GitIgnores git, boolean vcsIgnore, boolean followLinks, ErrorHook errors) {
        this(root, filter, git, vcsIgnore, followLinks, errors, false);
    }

    /** @param singleFile whether the root is one file rather than a directory tree */
    Scanner(Path root, PathFilter filter, GitIgnores git, boolean vcsIgnore, boolean followLinks, ErrorHook errors,
            boolean singleFile) {
        this.singleFile = singleFile;
        this.root = root;
        this.filter = filter;
        this.git = git;
        this.vcsIgnore = vcsIgnore;
        this.followLinks = followLinks;
        this.errors = errors;
    }

    Path root() {
        return root;
    }

    /** Tells the error hook that {@code path} could not be read (for a walk done outside this class). */
    void failed(Path path, IOException error) {
        errors.failed(path, error);
    }

    /** The path of {@code p} relative to the root, {@code /}-separated; empty for the root. */
    String relative(Path p) {
        String rel = root.relativize(p).toString();
        return p.getFileSystem().getSeparator().equals("/") ? rel : rel.replace(p.getFileSystem().getSeparator(), "/");
    }

    /**
     * Whether a path under the root passes the filters, given the current {@code .gitignore} rules of its
     * directory. The root itself always does.
     */
    boolean accepts(Path path, boolean dir) {
        if (path.equals(root)) {
            return true;
        }
        // The relative path is built only for globs: per event it was most of this method's garbage.
        return filter.accepts(path, filter.needsRelativePath() ? relative(path) : null,
                path.getFileName().toString(), dir,
                vcsIgnore ? git.chain(path.getParent()) : GitIgnores.Chain.NONE);
    }

    /**
     * Scans the subtree at {@code top}.
     *
     * @param top   a path at or under the root
     * @param hook  registers watches, or {@code null} to only walk
     * @param pool  runs the walk in parallel, or {@code null} to walk on the calling thread
     * @return the snapshot; absent if {@code top} does not exist
     */
    Snapshot scan(Path top, WatchHook hook, ForkJoinPool pool) {
        Stat topStat;
        try {
            topStat = Stat.of(top, followLinks);
        } catch (IOException e) {
            errors.failed(top, e);
            return Snapshot.absent(top);
        }
        if (topStat == null || singleFile && topStat.isDir()) {
            return Snapshot.absent(top);
        }
        if (!topStat.isDir()) {
            return new Snapshot(top, topStat);
        }
        KeyChain above = followLinks ? ancestorKeys(top) : null;
        if (above != null && above.contains(topStat.key())) {
            return new Snapshot(top, topStat); // a link back to an ancestor: tracked, not descended
        }
        Visit first = new Visit(top, relative(top), hook != null, new KeyChain(topStat.key(), above));
        if (pool == null) {
            Map<Path, DirNode> dirs = new HashMap<>();
            Deque<Visit> todo = new ArrayDeque<>();
            todo.push(first);
            while (!todo.isEmpty()) {
                Visit v = todo.pop();
                List<Visit> children = visit(v, hook, dirs);
                for (int i = children.size() - 1; i >= 0; i--) {
                    todo.push(children.get(i));
                }
            }
            return new Snapshot(top, topStat, dirs);
        }
        Map<Path, DirNode> dirs = new ConcurrentHashMap<>();
        pool.invoke(new VisitTask(null, first, hook, dirs));
        return new Snapshot(top, topStat, new HashMap<>(dirs));
    }

    /**
     * One directory of a parallel walk. Children are forked, never joined, and completion travels up the
     * completer chain in a loop: the stack stays flat however deep the tree (a recursive fork-join walk
     * overflowed the stack on a tree as deep as paths allow).
     */
    /**
     * The file keys of the directories between the root and {@code top} (exclusive), so a rescan of a
     * subtree stops at a link back to one of them exactly as the full walk does.
     */
    private KeyChain ancestorKeys(Path top) {
        if (top.equals(root) || !top.startsWith(root)) {
            return null;
        }
        KeyChain chain = null;
        for (Path dir = top.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
            chain = withKeyOf(dir, chain);
        }
        return chain;
    }

    private KeyChain withKeyOf(Path dir, KeyChain chain) {
        try {
            Stat s = Stat.of(dir, true);
            return s == null ? chain : new KeyChain(s.key(), chain);
        } catch (IOException e) {
            return chain; // an unreadable ancestor: its own scan reports it
        }
    }

    private final class VisitTask extends CountedCompleter<Void> {
        private static final long serialVersionUID = 1L;
        private final transient Visit visit;
        private final transient WatchHook hook;
        private final transient Map<Path, DirNode> dirs;

        VisitTask(VisitTask parent, Visit visit, WatchHook hook, Map<Path, DirNode> dirs) {
            super(parent);
            this.visit = visit;
            this.hook = hook;
            this.dirs = dirs;
        }

        @Override
        public void compute() {
            List<Visit> children = visit(visit, hook, dirs);
            addToPendingCount(children.size());
            for (Visit child : children) {
                new VisitTask(this, child, hook, dirs).fork();
            }
            tryComplete();
        }
    }

    /** Registers (if asked), lists and stats one directory; returns the subdirectories to descend into. */
    private List<Visit> visit(Visit v, WatchHook hook, Map<Path, DirNode> dirs) {
        boolean watchChildren = v.watch() && hook.register(v.dir(), v.keys().key());
        List<Path> children = new ArrayList<>();
        boolean hasGitignore = false;
        boolean hasGit = false;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(v.dir())) {
            for (Path child : stream) {
                children.add(child);
                String name = child.getFileName().toString();
                hasGitignore |= name.equals(GitIgnores.FILE_NAME);
                hasGit |= name.equals(".git");
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of(); // raced with a delete: the parent's next event or scan reports it
        } catch (IOException | DirectoryIteratorException e) {
            errors.failed(v.dir(), e instanceof DirectoryIteratorException die ? die.getCause() : (IOException) e);
            dirs.put(v.dir(), DirNode.unreadable());
            return List.of();
        }
        if (vcsIgnore) {
            git.update(v.dir(), hasGitignore, hasGit);
        }
        GitIgnores.Chain rules = vcsIgnore ? git.chain(v.dir()) : GitIgnores.Chain.NONE;
        List<Entry> entries = new ArrayList<>(children.size());
        for (Path child : children) {
            String name = child.getFileName().toString();
            if (PathFilter.builtinIgnored(name, false) && PathFilter.builtinIgnored(name, true)) {
                continue; // ignored whatever its type: skip the stat
            }
            Stat stat;
            try {
                stat = Stat.of(child, followLinks);
            } catch (IOException e) {
                errors.failed(child, e);
                continue;
            }
            if (stat == null) {
                continue;
            }
            String rel = !filter.needsRelativePath() ? null : v.rel().isEmpty() ? name : v.rel() + "/" + name;
            if (filter.accepts(child, rel, name, stat.isDir(), rules)) {
                entries.add(new Entry(name, child, rel, stat));
            }
        }
        entries.sort(BY_NAME);
        DirNode node = new DirNode();
        List<Visit> subdirs = new ArrayList<>();
        for (Entry e : entries) {
            node.append(e.name(), e.stat());
            if (e.stat().isDir()) {
                if (followLinks && v.keys().contains(e.stat().key())) {
                    continue; // a symlink back to an ancestor: tracked, not descended
                }
                String rel = e.rel() != null ? e.rel() : v.rel().isEmpty() ? e.name() : v.rel() + "/" + e.name();
                subdirs.add(new Visit(e.path(), rel, watchChildren, new KeyChain(e.stat().key(), v.keys())));
            }
        }
        node.trim();
        dirs.put(v.dir(), node);
        return subdirs;
    }

    private record Entry(String name, Path path, String rel, Stat stat) {
    }

    private record Visit(Path dir, String rel, boolean watch, KeyChain keys) {
    }
}
