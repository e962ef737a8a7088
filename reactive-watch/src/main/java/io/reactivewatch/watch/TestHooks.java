package io.reactivewatch.watch;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;

/**
 * What tests in this package change about a {@link FileSource}, kept out of its public builder and handed to
 * {@link FileSource.Builder#build(TestHooks)}. {@link #defaults()} is what {@link FileSource.Builder#build()}
 * uses.
 *
 * @param scanParallelism  threads for the start-up walk (1 walks on the caller of {@code open})
 * @param refuseWatch      native registration of matching directories fails as if permission were denied
 * @param watchServices    how the native backend opens its watch service
 * @param holdNativeWorker the native worker takes no event until this latch opens, or {@code null}
 * @param refuseCookie     writing a sync cookie into matching roots fails as on a read-only filesystem
 */
record TestHooks(int scanParallelism, Predicate<Path> refuseWatch, WatchServices watchServices,
        CountDownLatch holdNativeWorker, Predicate<Path> refuseCookie) {

    /** Opens a watch service. */
    @FunctionalInterface
    interface WatchServices {
        WatchService open() throws IOException;

        static WatchServices platform() {
            return () -> FileSystems.getDefault().newWatchService();
        }
    }

    private static final TestHooks DEFAULTS = new TestHooks(
            Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors())), p -> false,
            WatchServices.platform(), null, p -> false);

    TestHooks {
        if (scanParallelism < 1) {
            throw new IllegalArgumentException("scanParallelism must be at least 1, was " + scanParallelism);
        }
        Objects.requireNonNull(refuseWatch, "refuseWatch");
        Objects.requireNonNull(watchServices, "watchServices");
        Objects.requireNonNull(refuseCookie, "refuseCookie");
    }

    /** No test hook: the platform's watch service, a parallel start-up walk of 2 to 4 threads. */
    static TestHooks defaults() {
        return DEFAULTS;
    }

    TestHooks withScanParallelism(int threads) {
        return new TestHooks(threads, refuseWatch, watchServices, holdNativeWorker, refuseCookie);
    }

    TestHooks withRefuseWatch(Predicate<Path> refuse) {
        return new TestHooks(scanParallelism, refuse, watchServices, holdNativeWorker, refuseCookie);
    }

    TestHooks withWatchServices(WatchServices services) {
        return new TestHooks(scanParallelism, refuseWatch, services, holdNativeWorker, refuseCookie);
    }

    TestHooks withHeldNativeWorker(CountDownLatch latch) {
        return new TestHooks(scanParallelism, refuseWatch, watchServices, latch, refuseCookie);
    }

    TestHooks withRefuseCookie(Predicate<Path> refuse) {
        return new TestHooks(scanParallelism, refuseWatch, watchServices, holdNativeWorker, refuse);
    }
}
