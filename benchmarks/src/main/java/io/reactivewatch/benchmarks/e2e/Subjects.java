package io.reactivewatch.benchmarks.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The subjects the harness knows, by id. */
final class Subjects {

    /**
     * One subject configuration.
     *
     * @param id       command-line id
     * @param label    name in the report
     * @param settings its settings, for the report
     * @param factory  makes a fresh, unstarted instance
     */
    record Spec(String id, String label, String settings, Supplier<Subject> factory) {
    }

    /** The raw JDK watcher, which the cost of the others is compared with. */
    static final String JDK = "jdk";

    /** The no-watcher baseline; only meaningful for the idle workload. */
    static final String BASELINE = "none";

    private Subjects() {
    }

    static List<Spec> all() {
        List<Spec> all = new ArrayList<>(OurSubjects.specs());
        all.add(new Spec(JDK, "JDK WatchService", "recursive registration (tutorial style), one trigger per key",
                JdkWatchServiceSubject::new));
        all.add(new Spec("directory-watcher", "directory-watcher 0.19.1",
                "defaults (file hashing on), one trigger per event", DirectoryWatcherSubject::new));
        all.add(new Spec("devtools", "DevTools FileSystemWatcher 1000/400", "poll 1000 ms, quiet 400 ms (defaults)",
                () -> new DevtoolsSubject(Duration.ofMillis(1000), Duration.ofMillis(400))));
        all.add(new Spec("devtools-tuned", "DevTools FileSystemWatcher 100/50", "poll 100 ms, quiet 50 ms",
                () -> new DevtoolsSubject(Duration.ofMillis(100), Duration.ofMillis(50))));
        all.add(new Spec("commons-io", "commons-io monitor 1 s", "interval 1000 ms, one trigger per scan with changes",
                () -> new CommonsIoSubject(Duration.ofMillis(1000))));
        all.add(new Spec("commons-io-100ms", "commons-io monitor 100 ms",
                "interval 100 ms, one trigger per scan with changes",
                () -> new CommonsIoSubject(Duration.ofMillis(100))));
        all.add(new Spec(BASELINE, "no watcher (JVM baseline)", "nothing started; idle workload only",
                IdleSubject::new));
        return all;
    }

    static Spec byId(String id) {
        for (Spec s : all()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown subject '" + id + "'; known: " + ids());
    }

    static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (Spec s : all()) {
            ids.add(s.id());
        }
        return ids;
    }
}
