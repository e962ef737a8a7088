package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a directory listing may be kept and reused: git's racy rule, the filesystem type, the validators. */
class ListingsTest {

    private static final long S = 1_000_000_000L;

    @TempDir
    Path tmp;

    /** The device of the temporary directory, as the walk reads it. */
    private long dev() throws IOException {
        return (Long) Files.getAttribute(tmp, "unix:dev");
    }

    private boolean tmpIsLocal() throws IOException {
        return Listings.LOCAL.contains(Files.getFileStore(tmp).type());
    }

    @Test
    void aListingIsKeptOnlyWhenTakenAGranuleAfterTheDirectoryLastChanged() throws IOException {
        Listings listings = new Listings();
        boolean local = tmpIsLocal();
        Listings.Validators v = listings.validators(100 * S, 99 * S, dev(), 7);

        assertThat(listings.keepable(tmp, v, 101 * S)).isFalse();
        assertThat(listings.keepable(tmp, v, 102 * S - 1)).isFalse();
        assertThat(listings.keepable(tmp, v, 102 * S)).isEqualTo(local);
        // The change time counts as much as the modification time (times set back by hand).
        Listings.Validators touched = listings.validators(90 * S, 101 * S, dev(), 7);
        assertThat(listings.keepable(tmp, touched, 102 * S)).isFalse();
        assertThat(listings.keepable(tmp, null, 200 * S)).isFalse();
    }

    @Test
    void aKeptListingIsReusedOnlyWhileAllFourValidatorsAreUnchanged() {
        Listings listings = new Listings();
        Path dir = tmp.resolve("d");
        Listings.Validators v = listings.validators(100 * S, 100 * S, 1, 7);
        listings.commit(Map.of(dir, new Listings.Listing(v, 200 * S, new String[0], false, false)), List.of());

        assertThat(listings.reusable(dir, listings.validators(100 * S, 100 * S, 1, 7))).isNotNull();
        assertThat(listings.reusable(dir, listings.validators(100 * S + 1, 100 * S, 1, 7))).isNull();
        assertThat(listings.reusable(dir, listings.validators(100 * S, 100 * S + 1, 1, 7))).isNull();
        assertThat(listings.reusable(dir, listings.validators(100 * S, 100 * S, 2, 7))).isNull();
        assertThat(listings.reusable(dir, listings.validators(100 * S, 100 * S, 1, 8))).isNull();
        assertThat(listings.reusable(dir, null)).isNull();
        assertThat(listings.reusable(tmp, v)).isNull();

        listings.commit(Map.of(), List.of(dir));
        assertThat(listings.reusable(dir, v)).isNull();
    }

    @Test
    void onlyLocalFilesystemsThatKeepDirectoryTimesAreTrusted() {
        assertThat(Listings.LOCAL).contains("ext4", "xfs", "btrfs", "tmpfs", "apfs")
                .doesNotContain("nfs", "nfs4", "cifs", "smb3", "fuse", "fuse.sshfs", "overlay", "9p", "virtiofs",
                        "vboxsf", "vfat", "exfat", "ntfs");
    }

    @Test
    void aCoarseFilesystemIsSimulatedByCuttingTheTimes() {
        Listings listings = new Listings();
        listings.coarse = S;
        Listings.Validators v = listings.validators(5 * S + 999, 6 * S + 1, 1, 2);
        assertThat(v).isEqualTo(new Listings.Validators(5 * S, 6 * S, 1, 2));
    }
}
