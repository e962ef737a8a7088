package io.reactivewatch.watch;

import io.reactivewatch.core.EntryType;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/**
 * What the snapshot tracks about one path: type, size, modification time in nanoseconds, a digest of the
 * file key (0 when the platform has none) and a content hash (0 when not computed).
 */
record Stat(byte type, long size, long mtime, long key, long hash) {

    static final byte FILE = 0;
    static final byte DIR = 1;
    static final byte LINK = 2;
    static final byte OTHER = 3;

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    boolean isDir() {
        return type == DIR;
    }

    EntryType entryType() {
        return type == DIR ? EntryType.DIR : EntryType.FILE;
    }

    Stat withHash(long newHash) {
        return new Stat(type, size, mtime, key, newHash);
    }

    /** Whether the metadata differs; the content hash is not compared here. */
    boolean sameMetadata(Stat other) {
        return type == other.type && size == other.size && mtime == other.mtime && key == other.key;
    }

    /**
     * Reads the attributes of a path with one stat call.
     *
     * @return the stat, or {@code null} if nothing is there
     * @throws IOException if the path exists but cannot be read (permissions, I/O error)
     */
    static Stat of(Path path, boolean followLinks) throws IOException {
        try {
            return read(path, followLinks);
        } catch (FileSystemException e) {
            // ENOTDIR: a parent was replaced by a file since the event. Nothing is at this path any more.
            if (!(e instanceof AccessDeniedException)) {
                for (Path p = path.getParent(); p != null; p = p.getParent()) {
                    if (Files.exists(p, NOFOLLOW)) {
                        if (!Files.isDirectory(p)) {
                            return null;
                        }
                        break;
                    }
                }
            }
            throw e;
        }
    }

    private static Stat read(Path path, boolean followLinks) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class, followLinks ? FOLLOW : NOFOLLOW);
        } catch (NoSuchFileException e) {
            if (!followLinks) {
                return null;
            }
            // A dangling link, when following: report the link itself, as git does.
            try {
                a = Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
            } catch (NoSuchFileException gone) {
                return null;
            }
        }
        return of(a);
    }

    static Stat of(BasicFileAttributes a) {
        return new Stat(typeOf(a), a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), keyOf(a.fileKey()), 0);
    }

    static byte typeOf(BasicFileAttributes a) {
        return a.isDirectory() ? DIR : a.isRegularFile() ? FILE : a.isSymbolicLink() ? LINK : OTHER;
    }

    /** The digest of a file key as {@link #key()} holds it. */
    static long keyOf(Object fileKey) {
        // The JDK's Unix file key hashes device and inode; tagging bit 32 tells "no key" (0) from hash 0.
        return fileKey == null ? 0 : (fileKey.hashCode() & 0xFFFF_FFFFL) | (1L << 32);
    }
}
