package io.reactivewatch.watch;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One poll of a directory root, compared in place with its tracked tree: each directory is walked against
 * its tracked node (both sorted by name), and only what differs costs anything beyond the stat. An unchanged
 * directory keeps its node and makes no {@link Stat} or change; a changed one gets one new node, built from
 * its listing. The result is what {@link TreeWatcher#applyPoll} needs: the changes, in the order and with the
 * kinds {@link SnapshotDiff} gives for a fresh scan of the same tree, and the node edits that turn the tracked
 * tree into that fresh scan. Nothing here changes the tracked tree.
 *
 * <p>The rules are those of a fresh {@link Scanner} walk followed by {@link SnapshotDiff} and
 * {@link Snapshot#replace}: filters and {@code .gitignore} rules apply per entry each scan; an entry that
 * cannot be stat'ed is left out (so a tracked one is deleted); a directory that cannot be listed keeps what
 * was known under it; a directory that vanished between its stat and its listing loses its entries; a
 * symbolic link back to an ancestor (when following links) is tracked but not descended; a new directory is
 * walked by the root's {@link Scanner}, and with content dedupe, a file whose metadata changed is hashed.
 *
 * <p>With {@link Listings}, a directory whose validators did not move since it was listed is not read again:
 * its names are the tracked node's plus the ones the walk left out. Each entry is still stat'ed: a file's
 * content or metadata change does not touch its directory.
 */
final class PollingScan {

    /** The node of {@code dir} goes from {@code before} to {@code after} ({@code null}: none). */
    record NodeEdit(Path dir, @Nullable DirNode before, @Nullable DirNode after) {
    }

    private static final String[] NO_NAMES = new String[0];
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};
    /** One stat for a tracked directory: what its entry needs, and the validators of its listing. */
    private static final String DIR_ATTRIBUTES =
            "unix:isDirectory,isRegularFile,isSymbolicLink,size,lastModifiedTime,fileKey,ctime,dev,ino";

    private final Path top;
    private final Snapshot tree;
    private final Scanner scanner;
    private final PathFilter filter;
    private final GitIgnores git;
    private final boolean vcsIgnore;
    private final boolean followLinks;
    private final LinkOption[] links;
    private final @Nullable ContentHasher hasher;
    private final @Nullable Listings listings;

    /** The changes found, in walk order. */
    final List<Change> changes = new ArrayList<>();
    /** The node edits, in the order they apply (undone in reverse). */
    final List<NodeEdit> edits = new ArrayList<>();
    /** Listings to keep once the tree moved with this scan. */
    final Map<Path, Listings.Listing> taken = new HashMap<>();
    /** Directories whose kept listing goes. */
    final List<Path> forgotten = new ArrayList<>();

    // The attributes of the entry read last: scratch, so an unchanged entry makes no Stat.
    private byte type;
    private long size;
    private long mtime;
    private long key;
    private Listings.@Nullable Validators validators;
    /** Cleared when the platform has no {@code unix} attribute view: no validators, so no reuse. */
    private static volatile boolean unixView = true;

    PollingScan(Path top, Snapshot tree, Scanner scanner, PathFilter filter, GitIgnores git, boolean vcsIgnore,
            boolean followLinks, @Nullable ContentHasher hasher, @Nullable Listings listings) {
        this.top = top;
        this.tree = tree;
        this.scanner = scanner;
        this.filter = filter;
        this.git = git;
        this.vcsIgnore = vcsIgnore;
        this.followLinks = followLinks;
        this.links = followLinks ? FOLLOW : NOFOLLOW;
        this.hasher = hasher;
        this.listings = listings;
    }

    /**
     * Stats the top, as the walk's first step; the caller checks it is still the tracked directory before
     * {@link #walk}.
     *
     * @return its stat, or {@code null} when nothing is there or it cannot be read (reported)
     */
    @Nullable Stat readTop() {
        if (!read(top, listings != null)) {
            return null;
        }
        topValidators = validators;
        return new Stat(type, size, mtime, key, 0);
    }

    private Listings.@Nullable Validators topValidators;

    /** Walks the tree under the top, whose fresh stat {@code topStat} is a directory. */
    void walk(Stat topStat) {
        walk(top, "", tree.dirNode(top), topValidators, new KeyChain(topStat.key(), null));
    }

    private void walk(Path dir, @Nullable String rel, @Nullable DirNode known, Listings.@Nullable Validators at,
            KeyChain keys) {
        Listings.Listing reuse = listings == null || known == null || known.isUnreadable() ? null
                : listings.reusable(dir, at);
        String[] names;
        boolean hasGitignore;
        boolean hasGit;
        long takenAt = 0;
        if (reuse != null) {
            names = merge(known, reuse.untracked());
            hasGitignore = reuse.hasGitignore();
            hasGit = reuse.hasGit();
        } else {
            if (listings != null) {
                takenAt = listings.now(); // before the listing: it sees every change made up to here
                listings.listed++;
            }
            List<String> listed = new ArrayList<>(known == null ? 16 : known.size() + 4);
            hasGitignore = false;
            hasGit = false;
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path child : stream) {
                    String name = child.getFileName().toString();
                    listed.add(name);
                    hasGitignore |= name.equals(GitIgnores.FILE_NAME);
                    hasGit |= name.equals(".git");
                }
            } catch (NoSuchFileException | NotDirectoryException e) {
                gone(dir); // raced with a delete: its entry goes with its parent's next scan
                return;
            } catch (IOException | DirectoryIteratorException e) {
                scanner.failed(dir, e instanceof DirectoryIteratorException die ? die.getCause() : (IOException) e);
                if (known == null) {
                    edits.add(new NodeEdit(dir, null, DirNode.unreadable()));
                }
                forget(dir); // entries unknown now: what was known stays
                return;
            }
            names = listed.toArray(new String[0]);
            Arrays.sort(names);
        }
        if (vcsIgnore) {
            git.update(dir, hasGitignore, hasGit);
        }
        GitIgnores.Chain rules = vcsIgnore ? git.chain(dir) : GitIgnores.Chain.NONE;
        int n = known == null ? 0 : known.size();
        DirNode fresh = known == null || known.isUnreadable() ? new DirNode(names.length) : null;
        List<String> untracked = listings == null ? null : new ArrayList<>(0);
        int i = 0;
        for (String name : names) {
            while (i < n && known.name(i).compareTo(name) < 0) {
                fresh = started(fresh, known, i, names.length);
                deleted(dir.resolve(known.name(i)), known.stat(i));
                i++;
            }
            boolean tracked = i < n && known.name(i).equals(name);
            // A tracked name passed the filters with some type, so it is not ignored whatever its type.
            if (!tracked && PathFilter.builtinIgnored(name, false) && PathFilter.builtinIgnored(name, true)) {
                continue; // ignored whatever its type: no stat, as the walk does
            }
            Path child = dir.resolve(name);
            boolean accepted = read(child, listings != null && tracked && known.type(i) == Stat.DIR);
            String childRel = rel == null || !filter.needsRelativePath() ? null
                    : rel.isEmpty() ? name : rel + "/" + name;
            // The filters are a pure function of path, name and type, and .gitignore rules are the only thing
            // that moves: an entry tracked as the same kind, with no rules here, passes as it passed before.
            boolean passedBefore = tracked && rules == GitIgnores.Chain.NONE
                    && (known.type(i) == Stat.DIR) == (type == Stat.DIR);
            accepted = accepted && (passedBefore || filter.accepts(child, childRel, name, type == Stat.DIR, rules));
            if (!accepted) {
                if (untracked != null) {
                    untracked.add(name);
                }
                if (tracked) {
                    fresh = started(fresh, known, i, names.length);
                    deleted(child, known.stat(i));
                    i++;
                }
                continue;
            }
            boolean sameMetadata = tracked && known.type(i) == type && known.size(i) == size
                    && known.mtime(i) == mtime && known.key(i) == key;
            long hash = 0;
            if (hasher != null && type == Stat.FILE) {
                hash = sameMetadata ? known.hash(i) : hasher.hash(child);
            }
            boolean isDir = type == Stat.DIR;
            long childKey = key;
            Listings.Validators childAt = validators;
            if (sameMetadata && hash == known.hash(i)) {
                if (fresh != null) {
                    fresh.appendFrom(known, i);
                }
                i++;
                if (isDir) {
                    descend(child, childRel, childAt, keys, childKey);
                }
                continue;
            }
            Stat b = new Stat(type, size, mtime, key, hash);
            fresh = started(fresh, known, i, names.length);
            fresh.append(name, b);
            if (!tracked) {
                created(child, b, keys);
                continue;
            }
            Stat a = known.stat(i);
            i++;
            if (a.isDir() != b.isDir()) {
                deleted(child, a);
                created(child, b, keys);
            } else if (b.isDir()) {
                descend(child, childRel, childAt, keys, childKey); // its own change is not reported
            } else if (SnapshotDiff.changed(a, b)) {
                changes.add(new Change(child, ChangeKind.MODIFIED, EntryType.FILE));
            }
        }
        while (i < n) {
            fresh = started(fresh, known, i, names.length);
            deleted(dir.resolve(known.name(i)), known.stat(i));
            i++;
        }
        if (fresh != null) {
            fresh.trim();
            edits.add(new NodeEdit(dir, known, fresh));
        }
        if (listings != null) {
            if (reuse == null) {
                if (listings.keepable(dir, at, takenAt)) {
                    taken.put(dir, new Listings.Listing(at, takenAt, untracked.toArray(NO_NAMES), hasGitignore,
                            hasGit));
                } else {
                    forget(dir);
                }
            } else if (fresh != null) {
                // Same names, but which of them the node holds moved (a .gitignore or an entry's type changed).
                taken.put(dir, new Listings.Listing(reuse.at(), reuse.takenAt(), untracked.toArray(NO_NAMES),
                        hasGitignore, hasGit));
            }
        }
    }

    /** Walks a directory tracked before and now, unless it is a link back to an ancestor. */
    private void descend(Path dir, @Nullable String rel, Listings.@Nullable Validators at, KeyChain keys,
            long dirKey) {
        if (followLinks && keys.contains(dirKey)) {
            gone(dir); // tracked, not descended: no node, as the walk leaves it
            return;
        }
        walk(dir, rel, tree.dirNode(dir), at, new KeyChain(dirKey, keys));
    }

    /** The node being built for a changed directory: its unchanged entries before index {@code i} copied. */
    private static DirNode started(@Nullable DirNode fresh, DirNode known, int i, int capacity) {
        if (fresh != null) {
            return fresh;
        }
        DirNode node = new DirNode(Math.max(capacity, i));
        for (int k = 0; k < i; k++) {
            node.appendFrom(known, k);
        }
        return node;
    }

    /** A directory with no node now (vanished, or not descended): what it held goes. */
    private void gone(Path dir) {
        DirNode node = tree.dirNode(dir);
        forget(dir);
        if (node == null) {
            return;
        }
        for (int j = 0; j < node.size(); j++) {
            deleted(dir.resolve(node.name(j)), node.stat(j));
        }
        edits.add(new NodeEdit(dir, node, null));
    }

    /** As {@link SnapshotDiff}: what a directory held goes first, then the directory. */
    private void deleted(Path path, Stat stat) {
        if (stat.isDir()) {
            gone(path);
        }
        changes.add(new Change(path, ChangeKind.DELETED, stat.entryType()));
    }

    /** As {@link SnapshotDiff}: a directory first, then what it holds, walked by the root's scanner. */
    private void created(Path path, Stat stat, KeyChain keys) {
        changes.add(new Change(path, ChangeKind.CREATED, stat.entryType()));
        if (!stat.isDir() || followLinks && keys.contains(stat.key())) {
            return;
        }
        Snapshot sub = scanner.scan(path, null, null);
        if (!sub.present() || !sub.topStat().isDir()) {
            return; // gone since its stat: the parent's next scan reports it
        }
        if (hasher != null) {
            sub.fillHashes(Snapshot.absent(path), hasher);
        }
        createdUnder(path, sub);
    }

    private void createdUnder(Path dir, Snapshot sub) {
        DirNode node = sub.dirNode(dir);
        if (node == null) {
            return;
        }
        edits.add(new NodeEdit(dir, null, node));
        for (int j = 0; j < node.size(); j++) {
            Path p = dir.resolve(node.name(j));
            byte t = node.type(j);
            changes.add(new Change(p, ChangeKind.CREATED, t == Stat.DIR ? EntryType.DIR : EntryType.FILE));
            if (t == Stat.DIR) {
                createdUnder(p, sub);
            }
        }
    }

    private void forget(Path dir) {
        if (listings != null) {
            taken.remove(dir);
            forgotten.add(dir);
        }
    }

    /** The sorted union of a node's names and the untracked ones. */
    private static String[] merge(DirNode known, String[] untracked) {
        int n = known.size();
        String[] out = new String[n + untracked.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < n || j < untracked.length) {
            if (j == untracked.length || i < n && known.name(i).compareTo(untracked[j]) < 0) {
                out[k++] = known.name(i++);
            } else {
                out[k++] = untracked[j++];
            }
        }
        return out;
    }

    /**
     * Stats {@code path} into the scratch fields (and, when asked and possible, {@link #validators}).
     *
     * @return {@code false} when nothing is there, or it cannot be read (reported)
     */
    private boolean read(Path path, boolean withValidators) {
        validators = null;
        try {
            if (withValidators && unixView) {
                Map<String, Object> m;
                try {
                    m = Files.readAttributes(path, DIR_ATTRIBUTES, links);
                } catch (UnsupportedOperationException | IllegalArgumentException e) {
                    unixView = false;
                    return read(path, false);
                }
                type = Boolean.TRUE.equals(m.get("isDirectory")) ? Stat.DIR
                        : Boolean.TRUE.equals(m.get("isRegularFile")) ? Stat.FILE
                        : Boolean.TRUE.equals(m.get("isSymbolicLink")) ? Stat.LINK : Stat.OTHER;
                size = (Long) m.get("size");
                mtime = ((FileTime) m.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
                key = Stat.keyOf(m.get("fileKey"));
                validators = listings.validators(mtime, ((FileTime) m.get("ctime")).to(TimeUnit.NANOSECONDS),
                        (Long) m.get("dev"), (Long) m.get("ino"));
                return true;
            }
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, links);
            type = Stat.typeOf(a);
            size = a.size();
            mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            key = Stat.keyOf(a.fileKey());
            return true;
        } catch (IOException e) {
            // The rare cases (nothing there, a dangling link when following, a parent replaced by a file,
            // permissions): Stat.of decides them exactly as the walk does.
            Stat s;
            try {
                s = Stat.of(path, followLinks);
            } catch (IOException again) {
                scanner.failed(path, again);
                return false;
            }
            if (s == null) {
                return false;
            }
            type = s.type();
            size = s.size();
            mtime = s.mtime();
            key = s.key();
            return true;
        }
    }
}
