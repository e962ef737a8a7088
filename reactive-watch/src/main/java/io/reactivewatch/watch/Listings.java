package io.reactivewatch.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The polling backend's reuse of directory listings, for one root. A directory whose modification time,
 * change time, device and inode are all what its stat said just before it was last listed holds the names it
 * held then: the kernel moves the modification and change times of a directory whenever an entry is added,
 * removed or renamed in it, and the change time whenever its modification time is set by hand. The names
 * themselves are not kept twice: a listing is the tracked node's names plus the few names the walk left out
 * (filtered, or unreadable), kept here.
 *
 * <p>Two things make that unsafe, and a listing is kept only when neither applies:
 * <ul>
 * <li><em>Timestamps coarser than the changes</em>: two changes within one timestamp granule leave the same
 *     times. A listing is kept only when it was taken at least {@link #granule} after the directory's last
 *     modification and change time (git's rule for racily clean index entries): any change after the
 *     listing then gives a time later than the kept one. Until then the directory is listed each scan.</li>
 * <li><em>Filesystems that do not keep those times up to date</em> for changes made elsewhere (network
 *     filesystems cache attributes for seconds, FUSE filesystems are what their daemon makes them, an
 *     overlay does not see changes made to its lower layers): a listing is kept only on a device whose
 *     filesystem type is one of {@link #LOCAL} (looked up once per device), so anything else is listed
 *     each scan.</li>
 * </ul>
 *
 * <p>Only the worker thread uses it; changes to it are staged by a {@link PollingScan} and committed once
 * the tree moved with them ({@link #commit}), so a kept listing never describes names the tree lacks.
 */
final class Listings {

    /** The margin between a directory's last change and a listing that may be kept: 2 s covers FAT. */
    static final long DEFAULT_GRANULE = 2_000_000_000L;

    /**
     * Local filesystems whose directory times the kernel updates on every entry change, at 1 s or finer.
     */
    static final Set<String> LOCAL = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "ramfs", "zfs", "f2fs",
            "jfs", "reiserfs", "bcachefs", "apfs", "hfs");

    /** What a directory's stat said just before it was listed; reuse needs all four unchanged. */
    record Validators(long mtime, long ctime, long dev, long ino) {
    }

    /**
     * A listing that may be reused.
     *
     * @param at           the directory's validators, read before the listing
     * @param takenAt      the wall clock in nanoseconds since the epoch when the listing started
     * @param untracked    the names listed but not in the tracked node, sorted (built-in ignores whatever
     *                     their type left out)
     * @param hasGitignore whether a {@code .gitignore} was listed
     * @param hasGit       whether {@code .git} was listed
     */
    record Listing(Validators at, long takenAt, String[] untracked, boolean hasGitignore, boolean hasGit) {
    }

    private final Map<Path, Listing> kept = new HashMap<>();
    private final Map<Long, Boolean> localDevices = new HashMap<>();

    /** The wall clock in nanoseconds since the epoch; a test seam. */
    LongSupplier clock = () -> System.currentTimeMillis() * 1_000_000L;
    /** A test seam: see {@link #DEFAULT_GRANULE}. */
    long granule = DEFAULT_GRANULE;
    /**
     * A test seam: the validators' times are cut to this many nanoseconds, as a filesystem with that timestamp
     * granularity would store them. 1 outside tests.
     */
    long coarse = 1;
    /** How many directories were read from disk rather than reused (for tests). */
    long listed;

    long now() {
        return clock.getAsLong();
    }

    /** The validators of a directory as this filesystem would show them (see {@link #coarse}). */
    Validators validators(long mtime, long ctime, long dev, long ino) {
        return new Validators(mtime - Math.floorMod(mtime, coarse), ctime - Math.floorMod(ctime, coarse), dev, ino);
    }

    /** The listing of {@code dir} if its validators are unchanged, or {@code null}: list it. */
    Listing reusable(Path dir, Validators now) {
        Listing l = kept.get(dir);
        return l != null && now != null && l.at().equals(now) ? l : null;
    }

    /**
     * Whether a listing taken at {@code takenAt} of a directory with these validators may be kept: taken at
     * least a granule after the directory last changed, on a local filesystem.
     */
    boolean keepable(Path dir, Validators at, long takenAt) {
        return at != null && takenAt - Math.max(at.mtime(), at.ctime()) >= granule && local(dir, at.dev());
    }

    private boolean local(Path dir, long dev) {
        Boolean known = localDevices.get(dev);
        if (known == null) {
            try {
                known = LOCAL.contains(Files.getFileStore(dir).type().toLowerCase(Locale.ROOT));
            } catch (IOException | SecurityException e) {
                known = false;
            }
            localDevices.put(dev, known);
        }
        return known;
    }

    /** Takes what a scan staged, once the tree moved with it. */
    void commit(Map<Path, Listing> taken, List<Path> forgotten) {
        for (Path dir : forgotten) {
            kept.remove(dir);
        }
        kept.putAll(taken);
    }

    /** Forgets every listing (the tree did not move with a scan, or the root was lost). */
    void clear() {
        kept.clear();
    }

    /** How many listings are kept (for tests). */
    int size() {
        return kept.size();
    }
}
