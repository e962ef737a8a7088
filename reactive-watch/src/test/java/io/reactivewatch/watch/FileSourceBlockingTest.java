package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.reactivewatch.core.Change;
import io.reactivewatch.core.Tick;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * No blocking call on a Reactor non-blocking thread (parallel, single) while a daemon watches a burst,
 * persists and stops. Runs in its own surefire execution: BlockHound instruments the whole JVM.
 */
class FileSourceBlockingTest {

    /** Recorded rather than thrown: an error thrown inside a timer or operator could be swallowed. */
    private static final List<String> BLOCKING = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    private Path root;

    @BeforeAll
    static void installBlockHound() {
        BlockHound.install(b -> b.blockingMethodCallback(m -> BLOCKING.add(
                Thread.currentThread().getName() + ": " + m + " at " + where())));
    }

    private static String where() {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (e.getClassName().startsWith("io.reactivewatch")) {
                sb.append("\n    ").append(e);
            }
        }
        return sb.toString();
    }

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(tmp.resolve("root")).toRealPath();
        BLOCKING.clear();
    }

    @Test
    void theCheckSeesAYieldOnAParallelThread() {
        Mono.fromCallable(() -> {
            Thread.yield(); // a call BlockHound counts as blocking: proves the check is live
            return 1;
        }).subscribeOn(Schedulers.parallel()).onErrorReturn(0).block(Duration.ofSeconds(10));

        assertThat(BLOCKING).anyMatch(s -> s.contains("yield"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBurstAPersistAndAStopNeverBlockAReactorNonBlockingThread(Backend backend) throws IOException {
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        WatchDaemon<Void> daemon = WatchDaemon.builder((Tick tick) -> {
            tick.changes().changes().stream().map(Change::path).forEach(seen::add);
            return Mono.<Void>empty();
        })
                .root(root)
                .backend(backend)
                .pollInterval(Fixture.POLL)
                .window(Duration.ofMillis(30))
                .stateFile(tmp.resolve("state.json"))
                .build();
        daemon.start();
        try {
            List<Path> burst = new ArrayList<>();
            Path dir = Files.createDirectories(root.resolve("dir with space/ünïcode"));
            for (int i = 0; i < 200; i++) {
                burst.add(Files.writeString((i % 2 == 0 ? root : dir).resolve("f" + i + ".txt"), "x" + i));
            }
            await("every file of the burst reconciled").atMost(Duration.ofSeconds(30))
                    .until(() -> seen.containsAll(burst));
            daemon.tickNow().block(Duration.ofSeconds(10));
            await("the state persisted").atMost(Duration.ofSeconds(30))
                    .until(() -> Files.exists(tmp.resolve("state.json")));
        } finally {
            daemon.stop().block(Duration.ofSeconds(30));
        }

        assertThat(daemon.status().active()).isFalse();
        assertThat(daemon.source().workerAlive()).isFalse();
        assertThat(BLOCKING).isEmpty();
    }
}
