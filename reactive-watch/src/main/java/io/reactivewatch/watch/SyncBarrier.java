package io.reactivewatch.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * The sync barrier of one {@link TreeWatcher}: the open {@link FileSource#sync()} requests, the cookie files
 * the native backend writes for them, and their completion by the worker thread.
 *
 * <p>A request is <em>ready</em> once every cookie it wrote has been seen by the worker (or covered another
 * way: a rescan of its root that started after the cookie existed, or its root stopped being watched) and
 * nothing is left to write. The worker takes ready requests only right after it drained the watch service's
 * queue, does what else the backend needs (a scan of polled directories, or a whole scan for the polling
 * backend), and then completes them with {@link #complete}. The reasoning why that covers every change made
 * before the call is in docs/design.md, "Sync".
 *
 * <p>Threads: {@link #request} runs on the caller of {@code sync()}, cookies are written and deleted on a
 * {@code Schedulers.boundedElastic()} thread or on the worker, never on the caller (it may be a non-blocking
 * Reactor thread); completion is delivered on {@code boundedElastic}, never on the worker thread, so no
 * subscriber code runs there.
 */
final class SyncBarrier {

    private static final System.Logger LOG = System.getLogger(FileSource.class.getName());

    /** Every cookie's name starts with this; the rest is {@code <pid>-<counter>}. */
    static final String COOKIE_PREFIX = ".rwatch-cookie-";
    /** Unique across the sources of this process; the pid makes names unique across processes. */
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    private final Queue<Request> pending = new ConcurrentLinkedQueue<>();
    /** Every cookie not yet cleaned up, to the request that wrote it. */
    private final Map<Path, Request> byCookie = new ConcurrentHashMap<>();
    /** Roots where writing a cookie failed: warned about once, until a write succeeds there again. */
    private final Map<Path, Boolean> unwritable = new ConcurrentHashMap<>();
    private final Runnable nudge;
    private volatile IllegalStateException closed;

    /** @param nudge wakes the worker so it takes ready requests; any thread, must not block */
    SyncBarrier(Runnable nudge) {
        this.nudge = nudge;
    }

    /** One {@code sync()} call. */
    static final class Request {
        private final MonoSink<Void> sink;
        /** Cookies written (or being written) and not yet seen, each to its root. */
        final Map<Path, Path> awaiting = new ConcurrentHashMap<>();
        /** Every cookie this request may have created, to delete at the end. */
        final List<Path> cookies = new CopyOnWriteArrayList<>();
        volatile boolean written;
        /** Completed, failed or cancelled: a cookie the writer creates after this is deleted by the writer. */
        volatile boolean finished;

        private Request(MonoSink<Void> sink) {
            this.sink = sink;
        }

        boolean ready() {
            return written && awaiting.isEmpty();
        }
    }

    /**
     * Whether a file name is a sync cookie: {@code .rwatch-cookie-<digits>-<digits>}. Such files are never
     * tracked or reported, whichever process wrote them (another daemon may watch the same tree).
     */
    static boolean isCookie(String name) {
        if (!name.startsWith(COOKIE_PREFIX)) {
            return false;
        }
        int dash = -1;
        int n = name.length();
        for (int i = COOKIE_PREFIX.length(); i < n; i++) {
            char c = name.charAt(i);
            if (c == '-' && dash < 0 && i > COOKIE_PREFIX.length()) {
                dash = i;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dash > 0 && dash < n - 1;
    }

    /** A fresh cookie name, unique in this process and, by its pid, among processes. */
    static String cookieName() {
        return COOKIE_PREFIX + PID + "-" + COUNTER.incrementAndGet();
    }

    /**
     * A request: subscribing registers it and hands it to {@code start} (on the subscriber's thread, so
     * {@code start} must not block); the {@code Mono} completes when the worker completed it, on a
     * {@code boundedElastic} thread. Cancelling withdraws it and deletes its cookies off the cancelling
     * thread.
     */
    Mono<Void> request(java.util.function.Consumer<Request> start) {
        return Mono.<Void>create(sink -> {
            Request r = new Request(sink);
            sink.onCancel(() -> cancel(r));
            IllegalStateException c = closed;
            if (c != null) {
                sink.error(c);
                return;
            }
            pending.add(r);
            c = closed;
            if (c != null && pending.remove(r)) { // close() drained the queue before this request was in it
                sink.error(c);
                return;
            }
            start.accept(r);
        }).publishOn(Schedulers.boundedElastic());
    }

    /**
     * Writes one cookie into each root the filter accepts (the watched ones), then marks the request written.
     * A root where the write fails is left out, with one warning. Blocking: a {@code boundedElastic} thread.
     *
     * @param roots      every root, as watched
     * @param watched    which roots a watch covers now (a cookie elsewhere would never be seen)
     * @param refuse     test seam: writing into these roots fails as on a read-only filesystem
     * @param shownNames the roots as the source reports them, for the warning
     */
    void writeCookies(Request r, List<Path> roots, Predicate<Path> watched, Predicate<Path> refuse,
            java.util.function.Function<Path, Path> shownNames) {
        for (Path root : roots) {
            if (r.finished) {
                break;
            }
            if (!watched.test(root)) {
                continue; // polled or lost: the worker scans it instead
            }
            Path cookie = root.resolve(cookieName());
            // Registered before the file exists: the worker may see its event before createFile returns.
            r.cookies.add(cookie);
            byCookie.put(cookie, r);
            r.awaiting.put(cookie, root);
            try {
                if (refuse.test(root)) {
                    throw new java.nio.file.FileSystemException(cookie.toString(), null, "Read-only file system");
                }
                Files.createFile(cookie);
                unwritable.remove(root);
            } catch (IOException | RuntimeException e) {
                r.awaiting.remove(cookie);
                byCookie.remove(cookie);
                if (unwritable.putIfAbsent(root, Boolean.TRUE) == null) {
                    LOG.log(System.Logger.Level.WARNING, "sync: cannot write a cookie file in "
                            + shownNames.apply(root) + " (" + reason(e) + "); a sync there only waits for the "
                            + "events the watcher has already queued");
                }
            }
        }
        if (r.finished) {
            deleteCookies(r); // a cancel or close that ran while this wrote may have missed the last one
        }
        written(r);
    }

    /** Nothing more will be written for the request: the worker may take it once its cookies are seen. */
    void written(Request r) {
        r.written = true;
        if (r.awaiting.isEmpty()) {
            nudge.run(); // no cookie event will wake the worker
        }
    }

    /** Worker: an event named this cookie. */
    void seen(Path cookie) {
        Request r = byCookie.get(cookie);
        if (r != null) {
            r.awaiting.remove(cookie);
        }
    }

    /**
     * Worker, before a scan of a whole root: every cookie already on disk there is covered by that scan (it
     * reads the tree after the cookie, so after every change made before its request). One stat per pending
     * cookie of that root; an overflow may have swallowed the cookie's own event.
     */
    void rootRescanning(Path root) {
        for (Request r : pending) {
            r.awaiting.forEach((cookie, of) -> {
                if (of.equals(root) && Files.exists(cookie)) {
                    r.awaiting.remove(cookie);
                }
            });
        }
    }

    /** Any thread: whether the worker has a request to take. */
    boolean hasReady() {
        for (Request r : pending) {
            if (r.ready()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Worker, right after draining the watch service's queue: removes and returns the ready requests.
     * Cookies in roots that are no longer watched ({@code unwatched}: lost, or polled) will not be seen; they
     * count as covered, and the caller scans those roots.
     */
    List<Request> takeReady(Predicate<Path> unwatched) {
        List<Request> ready = new ArrayList<>();
        for (Request r : pending) {
            if (!r.written) {
                continue;
            }
            r.awaiting.values().removeIf(unwatched);
            if (r.awaiting.isEmpty() && pending.remove(r)) {
                ready.add(r);
            }
        }
        return ready;
    }

    /** Worker: deletes the requests' cookies, then completes them (delivered on {@code boundedElastic}). */
    void complete(List<Request> ready) {
        for (Request r : ready) {
            r.finished = true;
            deleteCookies(r);
            r.sink.success();
        }
    }

    /** Any thread, once: fails every pending and later request; their cookies are deleted on this thread. */
    void close(String why) {
        if (closed == null) {
            closed = new IllegalStateException(why);
        }
        IllegalStateException e = closed;
        Request r;
        while ((r = pending.poll()) != null) {
            r.finished = true;
            deleteCookies(r);
            r.sink.error(e);
        }
    }

    /** The timeout (or a subscriber) gave up: withdraw, and delete the cookies off this thread. */
    private void cancel(Request r) {
        r.finished = true;
        pending.remove(r);
        if (!r.cookies.isEmpty()) {
            try {
                Schedulers.boundedElastic().schedule(() -> deleteCookies(r));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                deleteCookies(r); // the scheduler is shut down (the application is stopping): here, then
            }
        }
    }

    private void deleteCookies(Request r) {
        for (Path cookie : r.cookies) {
            try {
                Files.deleteIfExists(cookie);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "sync: cannot delete cookie file " + cookie + " ("
                        + reason(e) + ")");
            }
            byCookie.remove(cookie);
        }
    }

    private static String reason(Exception e) {
        return e instanceof IOException io ? TreeWatcher.describe(io) : e.toString();
    }

    /** For tests: how many requests wait. */
    int pendingCount() {
        return pending.size();
    }
}
