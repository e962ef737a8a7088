package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.ChangeSet;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.Tick;
import io.reactivewatch.core.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class LineCountReconcilerTest {

    @TempDir
    Path dir;

    private static Tick tick(Change... changes) {
        return new Tick(1, EnumSet.of(Trigger.WATCH), ChangeSet.of(changes));
    }

    @Test
    void countsTheLinesAndBytesOfCreatedAndModifiedFiles() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "one\ntwo\n");
        Path b = Files.writeString(dir.resolve("b.txt"), "three\n");
        StepVerifier.create(new LineCountReconciler(Duration.ZERO).reconcile(tick(Change.created(a), Change.modified(b))))
                .expectNext(new LineCount(2, 3, 14))
                .verifyComplete();
    }

    @Test
    void skipsDeletedPathsDirectoriesAndFilesGoneBeforeTheRead() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        LineCount count = LineCountReconciler.count(tick(
                Change.deleted(dir.resolve("old.txt")),
                new Change(sub, ChangeKind.CREATED, EntryType.DIR),
                Change.modified(dir.resolve("vanished.txt"))));
        assertThat(count).isEqualTo(new LineCount(0, 0, 0));
    }

    @Test
    void simulatedWorkDelaysTheResultInVirtualTime() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "x\n");
        StepVerifier.withVirtualTime(() -> new LineCountReconciler(Duration.ofSeconds(2)).reconcile(tick(Change.created(a))))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(1999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(new LineCount(1, 1, 2))
                .verifyComplete();
    }
}
