package io.reactivewatch.watch;

import java.util.Arrays;

/**
 * The tracked entries of one directory: names relative to the directory, sorted, with their attributes in
 * parallel primitive arrays. About 90 bytes of heap per entry for a typical name, with no per-entry objects
 * but the name itself. Not thread-safe. Only its {@link Snapshot} changes it; readers get it as the
 * read-only {@link DirEntries}.
 */
final class DirNode implements DirEntries {

    private static final String[] NO_NAMES = new String[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final long[] NO_LONGS = new long[0];

    private String[] names = NO_NAMES;
    private byte[] types = NO_BYTES;
    private long[] sizes = NO_LONGS;
    private long[] mtimes = NO_LONGS;
    private long[] keys = NO_LONGS;
    /** Allocated on the first content hash, so trees without content dedupe pay nothing for it. */
    private long[] hashes;
    private int count;
    /** The directory exists but could not be listed: its entries are unknown, not absent. */
    private final boolean unreadable;

    DirNode() {
        this(false);
    }

    /** An empty node with room for {@code capacity} entries (built from a listing of that size). */
    DirNode(int capacity) {
        this(false);
        if (capacity > 0) {
            names = new String[capacity];
            types = new byte[capacity];
            sizes = new long[capacity];
            mtimes = new long[capacity];
            keys = new long[capacity];
        }
    }

    private DirNode(boolean unreadable) {
        this.unreadable = unreadable;
    }

    static DirNode unreadable() {
        return new DirNode(true);
    }

    @Override
    public boolean isUnreadable() {
        return unreadable;
    }

    @Override
    public int size() {
        return count;
    }

    @Override
    public String name(int i) {
        return names[i];
    }

    @Override
    public byte type(int i) {
        return types[i];
    }

    /** The size of entry {@code i}: with {@link #mtime}, {@link #key} and {@link #hash}, a stat without a Stat. */
    long size(int i) {
        return sizes[i];
    }

    long mtime(int i) {
        return mtimes[i];
    }

    long key(int i) {
        return keys[i];
    }

    long hash(int i) {
        return hashes == null ? 0 : hashes[i];
    }

    @Override
    public Stat stat(int i) {
        return new Stat(types[i], sizes[i], mtimes[i], keys[i], hashes == null ? 0 : hashes[i]);
    }

    @Override
    public int indexOf(String name) {
        return Arrays.binarySearch(names, 0, count, name);
    }

    @Override
    public Stat get(String name) {
        int i = indexOf(name);
        return i < 0 ? null : stat(i);
    }

    void put(String name, Stat stat) {
        int i = indexOf(name);
        if (i < 0) {
            i = -i - 1;
            makeRoom(i);
            names[i] = name;
        }
        set(i, stat);
    }

    /**
     * Appends an entry whose name sorts after every name already here (bulk building from a sorted
     * listing).
     *
     * @throws IllegalArgumentException if the name is out of order
     */
    void append(String name, Stat stat) {
        if (count > 0 && names[count - 1].compareTo(name) >= 0) {
            throw new IllegalArgumentException("out of order: " + name + " after " + names[count - 1]);
        }
        makeRoom(count);
        names[count - 1] = name;
        set(count - 1, stat);
    }

    /**
     * Appends entry {@code i} of {@code from} as it is, in the same name order as {@link #append}.
     *
     * @throws IllegalArgumentException if the name is out of order
     */
    void appendFrom(DirNode from, int i) {
        String name = from.names[i];
        if (count > 0 && names[count - 1].compareTo(name) >= 0) {
            throw new IllegalArgumentException("out of order: " + name + " after " + names[count - 1]);
        }
        long hash = from.hash(i);
        if (hash != 0 && hashes == null) {
            hashes = new long[names.length];
        }
        makeRoom(count);
        int j = count - 1;
        names[j] = name;
        types[j] = from.types[i];
        sizes[j] = from.sizes[i];
        mtimes[j] = from.mtimes[i];
        keys[j] = from.keys[i];
        if (hashes != null) {
            hashes[j] = hash;
        }
    }

    /**
     * Records the content hash of entry {@code i} (the content-dedupe step, on a snapshot its caller owns).
     */
    void setHash(int i, long hash) {
        if (hashes == null) {
            if (hash == 0) {
                return;
            }
            hashes = new long[names.length];
        }
        hashes[i] = hash;
    }

    boolean remove(String name) {
        int i = indexOf(name);
        if (i < 0) {
            return false;
        }
        int tail = count - i - 1;
        System.arraycopy(names, i + 1, names, i, tail);
        System.arraycopy(types, i + 1, types, i, tail);
        System.arraycopy(sizes, i + 1, sizes, i, tail);
        System.arraycopy(mtimes, i + 1, mtimes, i, tail);
        System.arraycopy(keys, i + 1, keys, i, tail);
        if (hashes != null) {
            System.arraycopy(hashes, i + 1, hashes, i, tail);
        }
        count--;
        names[count] = null;
        return true;
    }

    /** Drops spare capacity once a bulk build is done. */
    void trim() {
        if (names.length == count) {
            return;
        }
        names = Arrays.copyOf(names, count);
        types = Arrays.copyOf(types, count);
        sizes = Arrays.copyOf(sizes, count);
        mtimes = Arrays.copyOf(mtimes, count);
        keys = Arrays.copyOf(keys, count);
        if (hashes != null) {
            hashes = Arrays.copyOf(hashes, count);
        }
    }

    private void set(int i, Stat stat) {
        types[i] = stat.type();
        sizes[i] = stat.size();
        mtimes[i] = stat.mtime();
        keys[i] = stat.key();
        if (stat.hash() != 0 && hashes == null) {
            hashes = new long[names.length];
        }
        if (hashes != null) {
            hashes[i] = stat.hash();
        }
    }

    /** Opens a slot at {@code i}, shifting the tail right; count grows by one. */
    private void makeRoom(int i) {
        if (count == names.length) {
            int capacity = Math.max(4, count + (count >> 1));
            names = Arrays.copyOf(names, capacity);
            types = Arrays.copyOf(types, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
            mtimes = Arrays.copyOf(mtimes, capacity);
            keys = Arrays.copyOf(keys, capacity);
            if (hashes != null) {
                hashes = Arrays.copyOf(hashes, capacity);
            }
        }
        int tail = count - i;
        if (tail > 0) {
            System.arraycopy(names, i, names, i + 1, tail);
            System.arraycopy(types, i, types, i + 1, tail);
            System.arraycopy(sizes, i, sizes, i + 1, tail);
            System.arraycopy(mtimes, i, mtimes, i + 1, tail);
            System.arraycopy(keys, i, keys, i + 1, tail);
            if (hashes != null) {
                System.arraycopy(hashes, i, hashes, i + 1, tail);
            }
        }
        count++;
    }
}
