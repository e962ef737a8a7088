package io.reactivewatch.samples.webflux;

/**
 * What one reconcile did: the changed files it read and what they hold.
 *
 * @param files how many changed files were read (deleted paths and directories are not)
 * @param lines their lines in total
 * @param bytes their size in total
 */
record LineCount(int files, long lines, long bytes) {
}
