package io.reactivewatch.watch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The version-control repository a watch root belongs to, and the files in its administrative directory
 * that say an operation is in progress. Only these marker paths are ever looked at inside the directory,
 * never the object store.
 *
 * @param kind      git or Mercurial
 * @param workTree  the directory holding {@code .git} or {@code .hg}: the root itself or one of its ancestors
 * @param markerDir where the markers live: the git directory ({@code .git}, or where a {@code .git} file of a
 *                  linked worktree or submodule points), or {@code .hg}
 */
record VcsRepository(Kind kind, Path workTree, Path markerDir) {

    /** The version-control systems whose operations defer ticks. */
    enum Kind {
        GIT("git", "index"),
        HG("hg", "dirstate");

        private final String tool;
        private final String stateFile;

        Kind(String tool, String stateFile) {
            this.tool = tool;
            this.stateFile = stateFile;
        }

        /** The command's name, as reasons and messages say it. */
        String tool() {
            return tool;
        }
    }

    /**
     * One path whose presence means an operation is in progress.
     *
     * @param name      the name inside the marker directory
     * @param operation what is in progress while it exists, as a hold's reason says it
     * @param lock      whether it is a lock a crashed command leaves behind (then it stops holding once it is
     *                  older than the lock timeout); the others are states a user finishes on purpose, such as
     *                  a rebase stopped on a conflict, and hold for as long as they last
     */
    record Marker(String name, String operation, boolean lock) {
    }

    /** In priority order: when several exist, the first names the operation. */
    private static final List<Marker> GIT_MARKERS = List.of(
            new Marker("rebase-merge", "git rebase in progress", false),
            new Marker("rebase-apply", "git rebase in progress", false),
            new Marker("MERGE_HEAD", "git merge in progress", false),
            new Marker("CHERRY_PICK_HEAD", "git cherry-pick in progress", false),
            new Marker("REVERT_HEAD", "git revert in progress", false),
            new Marker("BISECT_LOG", "git bisect in progress", false),
            // Taken by checkout, switch, reset, merge, stash, commit, add, and briefly by status: the name of the
            // command holding it is not written anywhere, so the reason names the lock.
            new Marker("index.lock", "git operation in progress (index.lock)", true));
    private static final List<Marker> HG_MARKERS = List.of(
            new Marker("wlock", "hg operation in progress", true));

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** The markers of this repository's kind, in priority order. */
    List<Marker> markers() {
        return kind == Kind.GIT ? GIT_MARKERS : HG_MARKERS;
    }

    /**
     * The file every completed operation rewrites ({@code index}, {@code dirstate}): its identity changing
     * between two looks says an operation ran meanwhile, even one too short to be seen in progress.
     */
    Path stateFile() {
        return markerDir.resolve(kind.stateFile);
    }

    /**
     * What a marker that exists says is in progress: its operation, except that {@code rebase-apply} with an
     * {@code applying} file inside is {@code git am}, which shares the directory with the old rebase backend.
     */
    String operation(Marker marker) {
        if (marker.name().equals("rebase-apply") && Files.exists(markerDir.resolve("rebase-apply").resolve("applying"))) {
            return "git am in progress";
        }
        return marker.operation();
    }

    /** The reason when something happened but no marker is left to say what: {@code git operation in progress}. */
    String anyOperation() {
        return kind.tool() + " operation in progress";
    }

    /** The marker of that name, or {@code null} for any other file of the directory. */
    @Nullable Marker marker(String name) {
        for (Marker m : markers()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /**
     * The repositories the roots belong to, each once: for each root, the nearest of the root itself and its
     * ancestors that holds {@code .git} (a directory, or a file naming the git directory elsewhere) or
     * {@code .hg}; both, when one directory holds both. Repositories nested below a root are not looked for.
     *
     * @param roots absolute, real paths
     * @return the repositories, in the order of the roots
     */
    static List<VcsRepository> find(List<Path> roots) {
        List<VcsRepository> out = new ArrayList<>();
        for (Path root : roots) {
            for (VcsRepository r : of(root)) {
                if (out.stream().noneMatch(o -> o.markerDir.equals(r.markerDir))) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The repositories of one root: those of its nearest ancestor-or-self that has any. */
    static List<VcsRepository> of(Path root) {
        for (Path d = root; d != null; d = d.getParent()) {
            List<VcsRepository> found = new ArrayList<>(1);
            Path gitDir = gitDir(d.resolve(".git"));
            if (gitDir != null) {
                found.add(new VcsRepository(Kind.GIT, d, gitDir));
            }
            Path hg = d.resolve(".hg");
            if (Files.isDirectory(hg, NOFOLLOW)) {
                found.add(new VcsRepository(Kind.HG, d, hg));
            }
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    /**
     * Where a {@code .git} entry keeps the repository's state: the directory itself, or the directory named
     * by a {@code gitdir: PATH} file (a linked worktree's {@code .git/worktrees/NAME}, a submodule's
     * {@code .git/modules/NAME}; a relative PATH is relative to the file's directory). {@code null} when
     * there is no {@code .git}, or a file that names no existing directory.
     */
    static @Nullable Path gitDir(Path dotGit) {
        if (Files.isDirectory(dotGit)) {
            return dotGit;
        }
        if (!Files.isRegularFile(dotGit)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(dotGit, StandardCharsets.UTF_8)) {
                if (line.startsWith("gitdir:")) {
                    Path target = dotGit.getParent().resolve(line.substring("gitdir:".length()).strip()).normalize();
                    return Files.isDirectory(target) ? target.toRealPath() : null;
                }
            }
        } catch (IOException | InvalidPathException e) {
            // Unreadable or not a gitdir file: no repository to watch here.
        }
        return null;
    }
}
