package io.reactivewatch.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The bookkeeping of sync requests and their cookies, without a watcher: the test plays the worker. */
class SyncBarrierTest {

    private static final Function<Path, Path> SHOWN = Function.identity();

    @TempDir
    Path tmp;

    private final AtomicInteger nudges = new AtomicInteger();
    private final SyncBarrier barrier = new SyncBarrier(nudges::incrementAndGet);
    private Path a;
    private Path b;

    @BeforeEach
    void setUp() throws IOException {
        a = Files.createDirectory(tmp.resolve("a"));
        b = Files.createDirectory(tmp.resolve("b"));
    }

    private List<Path> cookiesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> SyncBarrier.isCookie(p.getFileName().toString())).toList();
        }
    }

    @Test
    void cookieNamesAreCookiesAndNeverRepeat() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String name = SyncBarrier.cookieName();
            assertThat(SyncBarrier.isCookie(name)).as(name).isTrue();
            assertThat(name).startsWith(".rwatch-cookie-" + ProcessHandle.current().pid() + "-");
            names.add(name);
        }
        assertThat(names).hasSize(1000);
    }

    @Test
    void onlyThePrefixFollowedByTwoNumbersIsACookie() {
        for (String name : List.of(".rwatch-cookie-1-2", ".rwatch-cookie-123456-0")) {
            assertThat(SyncBarrier.isCookie(name)).as(name).isTrue();
        }
        for (String name : List.of(".rwatch-cookie-", ".rwatch-cookie-12", ".rwatch-cookie-1-", ".rwatch-cookie--1",
                ".rwatch-cookie-1-2.txt", ".rwatch-cookie-1-2-3", ".rwatch-cookie-a-1", "rwatch-cookie-1-2",
                "x.rwatch-cookie-1-2")) {
            assertThat(SyncBarrier.isCookie(name)).as(name).isFalse();
        }
    }

    @Test
    void aRequestCompletesOnlyOnceWrittenAndEveryCookieSeenAndItsCookiesAreGoneBeforeItCompletes()
            throws IOException {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        AtomicReference<List<Path>> leftAtCompletion = new AtomicReference<>();
        Disposable sync = barrier.request(ref::set).doOnSuccess(x -> {
            try {
                leftAtCompletion.set(Stream.concat(cookiesIn(a).stream(), cookiesIn(b).stream()).toList());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).subscribe();
        SyncBarrier.Request r = ref.get();
        assertThat(barrier.hasReady()).isFalse();

        barrier.writeCookies(r, List.of(a, b), root -> true, root -> false, SHOWN);

        Path cookieA = cookiesIn(a).get(0);
        Path cookieB = cookiesIn(b).get(0);
        assertThat(nudges).as("the cookies' events wake the worker").hasValue(0);
        barrier.seen(cookieA);
        assertThat(barrier.takeReady(root -> false)).isEmpty();
        barrier.seen(cookieB);
        assertThat(barrier.hasReady()).isTrue();
        List<SyncBarrier.Request> ready = barrier.takeReady(root -> false);
        assertThat(ready).containsExactly(r);
        barrier.complete(ready);

        await("the sync completed").atMost(Duration.ofSeconds(10)).until(sync::isDisposed);
        assertThat(leftAtCompletion.get()).isEmpty();
        assertThat(barrier.pendingCount()).isZero();
    }

    @Test
    void aCookieSeenBeforeTheWriterFinishedCountsButTheRequestWaitsForTheWriter() {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        barrier.request(ref::set).subscribe();
        SyncBarrier.Request r = ref.get();
        AtomicReference<Boolean> readyWhileWriting = new AtomicReference<>();

        barrier.writeCookies(r, List.of(a), root -> true, root -> {
            // The worker may take a cookie's event before the writer is done with it.
            r.awaiting.keySet().forEach(barrier::seen);
            readyWhileWriting.set(barrier.hasReady());
            return false;
        }, SHOWN);

        assertThat(readyWhileWriting.get()).isFalse();
        assertThat(nudges).as("nothing left to wake the worker: the writer does").hasValue(1);
        assertThat(barrier.takeReady(root -> false)).containsExactly(r);
    }

    @Test
    void aRequestWithNoCookieToWaitForNudgesTheWorker() {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        barrier.request(ref::set).subscribe();

        barrier.writeCookies(ref.get(), List.of(a, b), root -> false, root -> false, SHOWN);

        assertThat(nudges).hasValue(1);
        assertThat(barrier.takeReady(root -> false)).containsExactly(ref.get());
    }

    @Test
    void aRootWhereTheCookieCannotBeWrittenIsLeftOutAndTheOthersAreStillAwaited() throws IOException {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        barrier.request(ref::set).subscribe();

        barrier.writeCookies(ref.get(), List.of(a, b), root -> true, root -> root.equals(a), SHOWN);

        assertThat(cookiesIn(a)).isEmpty();
        assertThat(ref.get().awaiting).containsOnlyKeys(cookiesIn(b).get(0));
        assertThat(barrier.takeReady(root -> false)).isEmpty();
    }

    @Test
    void aCookieInARootNoLongerWatchedCountsAsCovered() {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        barrier.request(ref::set).subscribe();
        barrier.writeCookies(ref.get(), List.of(a, b), root -> true, root -> false, SHOWN);

        assertThat(barrier.takeReady(root -> root.equals(a))).isEmpty();
        assertThat(barrier.takeReady(root -> true)).containsExactly(ref.get());
    }

    @Test
    void aRescanOfARootCoversTheCookiesAlreadyOnDiskThere() throws IOException {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        barrier.request(ref::set).subscribe();
        barrier.writeCookies(ref.get(), List.of(a, b), root -> true, root -> false, SHOWN);

        barrier.rootRescanning(a);
        assertThat(ref.get().awaiting).containsOnlyKeys(cookiesIn(b).get(0));
        barrier.rootRescanning(b);

        assertThat(barrier.takeReady(root -> false)).containsExactly(ref.get());
    }

    @Test
    void cancellingWithdrawsTheRequestAndDeletesItsCookies() throws IOException {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        Disposable sync = barrier.request(ref::set).subscribe();
        barrier.writeCookies(ref.get(), List.of(a, b), root -> true, root -> false, SHOWN);
        assertThat(cookiesIn(a)).hasSize(1);

        sync.dispose();

        assertThat(barrier.pendingCount()).isZero();
        await("the cookies deleted").atMost(Duration.ofSeconds(10))
                .until(() -> cookiesIn(a).isEmpty() && cookiesIn(b).isEmpty());
    }

    @Test
    void aCancelWhileTheCookiesAreWrittenStopsTheWriterAndLeavesNoCookie() throws IOException {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        Disposable sync = barrier.request(ref::set).subscribe();

        barrier.writeCookies(ref.get(), List.of(a, b), root -> {
            if (root.equals(b)) {
                sync.dispose(); // the daemon's timeout lands between two roots
            }
            return true;
        }, root -> false, SHOWN);

        assertThat(cookiesIn(b)).isEmpty();
        await("the cookie deleted").atMost(Duration.ofSeconds(10)).until(() -> cookiesIn(a).isEmpty());
    }

    @Test
    void closingFailsTheWaitingRequestsDeletesTheirCookiesAndFailsLaterOnes() throws IOException {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        Mono<Void> waiting = barrier.request(ref::set).cache();
        waiting.subscribe(x -> { }, e -> { });
        barrier.writeCookies(ref.get(), List.of(a), root -> true, root -> false, SHOWN);

        barrier.close("the file source stopped");

        assertThat(cookiesIn(a)).isEmpty();
        StepVerifier.create(waiting).expectErrorMessage("the file source stopped").verify(Duration.ofSeconds(10));
        StepVerifier.create(barrier.request(r -> { }))
                .expectErrorMessage("the file source stopped").verify(Duration.ofSeconds(10));
    }

    @Test
    void aWriterThatRunsAfterTheCloseLeavesNoCookie() throws IOException {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        barrier.request(ref::set).subscribe(x -> { }, e -> { });
        barrier.close("the file source stopped"); // the worker ended before the writer got a thread

        barrier.writeCookies(ref.get(), List.of(a, b), root -> true, root -> false, SHOWN);

        assertThat(cookiesIn(a)).isEmpty();
        assertThat(cookiesIn(b)).isEmpty();
    }

    @Test
    void theCompletionIsDeliveredOffTheThreadThatCompletes() {
        AtomicReference<SyncBarrier.Request> ref = new AtomicReference<>();
        AtomicReference<String> deliveredOn = new AtomicReference<>();
        barrier.request(ref::set).doOnSuccess(x -> deliveredOn.set(Thread.currentThread().getName())).subscribe();
        barrier.written(ref.get());

        Thread worker = new Thread(() -> barrier.complete(barrier.takeReady(root -> false)), "worker-under-test");
        worker.start();

        await("delivered").atMost(Duration.ofSeconds(10)).until(() -> deliveredOn.get() != null);
        assertThat(deliveredOn.get()).startsWith("boundedElastic");
    }
}
