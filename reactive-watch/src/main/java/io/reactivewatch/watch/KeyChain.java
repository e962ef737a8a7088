package io.reactivewatch.watch;

import org.jspecify.annotations.Nullable;

/**
 * The file keys of a directory and its ancestors, for symlink loop protection when links are followed: a
 * link whose target's key is in the chain points back at an ancestor, and is tracked but not descended. A
 * key of 0 (a platform without file keys) is never a loop.
 *
 * @param key    the directory's file key ({@link Stat#key()})
 * @param parent the chain of its parent, or {@code null} at the top
 */
record KeyChain(long key, @Nullable KeyChain parent) {

    boolean contains(long k) {
        if (k == 0) {
            return false;
        }
        for (KeyChain c = this; c != null; c = c.parent()) {
            if (c.key() == k) {
                return true;
            }
        }
        return false;
    }
}
