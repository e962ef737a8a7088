package io.reactivewatch.watch;

/**
 * Read-only access to the tracked entries of one directory, sorted by name: what a {@link TreeView} hands
 * its readers, so that a reader of a tree shared with the watcher cannot change it. {@link DirNode} is the
 * one implementation.
 */
interface DirEntries {

    /** How many entries there are. */
    int size();

    /** The name of entry {@code i}, relative to the directory. */
    String name(int i);

    /** The {@link Stat} type of entry {@code i}. */
    byte type(int i);

    /** The stat of entry {@code i} (a new value; changing nothing here). */
    Stat stat(int i);

    /** The index of a name, or {@code -(insertion point) - 1}. */
    int indexOf(String name);

    /** The stat of a name, or {@code null}. */
    Stat get(String name);

    /** Whether the directory exists but could not be listed: its entries are unknown, not absent. */
    boolean isUnreadable();
}
