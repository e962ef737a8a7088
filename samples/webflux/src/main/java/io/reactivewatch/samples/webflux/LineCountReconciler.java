package io.reactivewatch.samples.webflux;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.ChangeKind;
import io.reactivewatch.core.EntryType;
import io.reactivewatch.core.Reconciler;
import io.reactivewatch.core.Tick;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The sample's reconciler: reads every created or modified file of a tick and counts its lines. File reads
 * block, so they run on {@code boundedElastic}. A file that is gone by the time it is read was deleted
 * after the tick was cut; the next tick reports that.
 */
final class LineCountReconciler implements Reconciler<LineCount> {

    private final Duration simulatedWork;

    LineCountReconciler(Duration simulatedWork) {
        this.simulatedWork = simulatedWork;
    }

    @Override
    public Mono<LineCount> reconcile(Tick tick) {
        Mono<LineCount> count = Mono.fromCallable(() -> count(tick)).subscribeOn(Schedulers.boundedElastic());
        return simulatedWork.isZero() ? count : Mono.delay(simulatedWork).then(count);
    }

    static LineCount count(Tick tick) throws IOException {
        int files = 0;
        long lines = 0;
        long bytes = 0;
        byte[] buffer = new byte[8192];
        for (Change c : tick.changes().changes()) {
            if (c.kind() == ChangeKind.DELETED || c.type() == EntryType.DIR) {
                continue;
            }
            try (InputStream in = Files.newInputStream(c.path())) {
                files++;
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    bytes += n;
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            } catch (NoSuchFileException | AccessDeniedException skipped) {
                // Deleted since the tick was cut (the next tick says so), or not ours to read.
            }
        }
        return new LineCount(files, lines, bytes);
    }
}
