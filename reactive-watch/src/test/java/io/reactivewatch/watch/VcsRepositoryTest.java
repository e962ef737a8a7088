package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.watch.VcsRepository.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VcsRepositoryTest {

    @TempDir
    Path tmp;

    private Path base;

    @BeforeEach
    void setUp() throws IOException {
        base = tmp.toRealPath();
    }

    @Test
    void aRootInsideARepositoryBelongsToTheNearestAncestorHoldingGit() throws IOException {
        Path top = Files.createDirectories(base.resolve("outer/.git")).getParent();
        Path inner = Files.createDirectories(top.resolve("inner/.git")).getParent();
        Path root = Files.createDirectories(inner.resolve("src/main"));

        assertThat(VcsRepository.of(root)).containsExactly(new VcsRepository(Kind.GIT, inner, inner.resolve(".git")));
        assertThat(VcsRepository.of(top)).containsExactly(new VcsRepository(Kind.GIT, top, top.resolve(".git")));
    }

    @Test
    void aGitFileNamesTheGitDirectoryOfALinkedWorktreeRelativeOrAbsolute() throws IOException {
        Path gitDir = Files.createDirectories(base.resolve("main/.git/worktrees/wt"));
        Path wt = Files.createDirectories(base.resolve("wt"));
        Files.writeString(wt.resolve(".git"), "gitdir: " + gitDir + "\n");
        Path sub = Files.createDirectories(base.resolve("main/sub"));
        Path module = Files.createDirectories(base.resolve("main/.git/modules/sub"));
        Files.writeString(sub.resolve(".git"), "gitdir: ../.git/modules/sub\r\n");

        assertThat(VcsRepository.of(wt.resolve("deeper"))).containsExactly(new VcsRepository(Kind.GIT, wt, gitDir));
        assertThat(VcsRepository.of(sub)).containsExactly(new VcsRepository(Kind.GIT, sub, module));
    }

    @Test
    void aGitFileThatNamesNoDirectoryIsNoRepositoryAndTheSearchGoesOn() throws IOException {
        Path top = Files.createDirectories(base.resolve("top/.git")).getParent();
        Path broken = Files.createDirectories(top.resolve("broken"));
        Files.writeString(broken.resolve(".git"), "gitdir: ../nowhere\n");
        Path junk = Files.createDirectories(top.resolve("junk"));
        Files.writeString(junk.resolve(".git"), "not a gitdir file\n");

        assertThat(VcsRepository.of(broken)).extracting(VcsRepository::workTree).containsExactly(top);
        assertThat(VcsRepository.of(junk)).extracting(VcsRepository::workTree).containsExactly(top);
    }

    @Test
    void mercurialIsFoundByItsHgDirectoryAndOneDirectoryMayHoldBoth() throws IOException {
        Path hg = Files.createDirectories(base.resolve("hg/.hg")).getParent();
        Path both = Files.createDirectories(base.resolve("both/.hg")).getParent();
        Files.createDirectories(both.resolve(".git"));

        assertThat(VcsRepository.of(hg)).containsExactly(new VcsRepository(Kind.HG, hg, hg.resolve(".hg")));
        assertThat(VcsRepository.of(both)).extracting(VcsRepository::kind).containsExactly(Kind.GIT, Kind.HG);
    }

    @Test
    void rootsInOneRepositoryShareItAndAPlainTreeHasNone() throws IOException {
        Path top = Files.createDirectories(base.resolve("top/.git")).getParent();
        Path a = Files.createDirectories(top.resolve("a"));
        Path b = Files.createDirectories(top.resolve("b"));
        Path plain = Files.createDirectories(base.resolve("plain"));

        assertThat(VcsRepository.find(java.util.List.of(a, b, plain))).extracting(VcsRepository::workTree)
                .filteredOn(p -> p.startsWith(base)).containsExactly(top);
        assertThat(VcsRepository.of(plain)).noneMatch(r -> r.workTree().startsWith(base));
    }

    @Test
    void markersAreLookedAtInPriorityOrderAndRebaseApplyWithApplyingIsAm() throws IOException {
        Path gitDir = Files.createDirectories(base.resolve("r/.git"));
        VcsRepository repo = VcsRepository.of(gitDir.getParent()).get(0);

        assertThat(repo.markers()).extracting(VcsRepository.Marker::name).containsExactly("rebase-merge",
                "rebase-apply", "MERGE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG", "index.lock");
        assertThat(repo.markers()).filteredOn(VcsRepository.Marker::lock).extracting(VcsRepository.Marker::name)
                .containsExactly("index.lock");
        VcsRepository.Marker rebaseApply = repo.marker("rebase-apply");
        assertThat(repo.operation(rebaseApply)).isEqualTo("git rebase in progress");
        Files.createDirectories(gitDir.resolve("rebase-apply"));
        Files.createFile(gitDir.resolve("rebase-apply/applying"));
        assertThat(repo.operation(rebaseApply)).isEqualTo("git am in progress");
        assertThat(repo.marker("HEAD.lock")).isNull();
        assertThat(repo.stateFile()).isEqualTo(gitDir.resolve("index"));
        assertThat(repo.anyOperation()).isEqualTo("git operation in progress");
    }
}
