package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Coalescing;
import io.reactivewatch.samples.rwatch.RunConfig.CommandOptions;
import io.reactivewatch.samples.rwatch.RunConfig.Verbosity;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code rwatch} command line: parses and validates, then hands a {@link RunConfig} to the runner. The
 * options and their defaults are a public contract (docs/design.md, "The rwatch command line").
 */
@Command(name = "rwatch",
        customSynopsis = "rwatch [OPTIONS] [-- COMMAND [ARGS...]]",
        mixinStandardHelpOptions = true,
        versionProvider = Cli.Version.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Watches directories, coalesces bursts of changes into ticks, and runs COMMAND once per tick "
                    + "(no shell unless you write one, such as: -- sh -c 'make && ./run').",
            "Without a command it still ticks and prints one line per tick: a change monitor.",
            ""},
        footer = {
            "",
            "COMMAND runs with stdout and stderr passed through (stdin too, but /dev/null while rwatch reads",
            "keys), and these variables set:",
            "  RWATCH_TICK           the tick number (1, 2, ...)",
            "  RWATCH_CHANGES_FILE   a JSON file with the tick's change set",
            "  RWATCH_CHANGED_PATHS  the changed absolute paths, one per line (left out above 64 KiB)",
            "  RWATCH_CHANGED_PATHS_OMITTED",
            "                        how many changed paths that list leaves out: a name with a newline",
            "                        cannot be a line, and above 64 KiB all are (the changes file has all)",
            "Exit 0 with an ok tick, non-zero with a failed one; a failed tick is not retried on its own,",
            "its changes come again with the next tick. COMMAND runs in a process group of its own (Linux,",
            "through setsid): stopping it signals the whole group.",
            "",
            "Durations: a number and a unit, ms, s, m or h (50ms, 2s, 1.5s, 1m).",
            "Signals: a name such as TERM, INT, HUP, USR1 or KILL (SIGTERM and term work too).",
            "Exit status: 0 after SIGINT or SIGTERM (graceful stop, state persisted); with --exit-on-error,",
            "the failed run's status (127 if it could not start, 124 if it timed out); 2 on bad usage;",
            "130 when a second SIGINT forces the exit; 1 on an unexpected failure.",
            "",
            "Keys, when stdin is a terminal (unless --no-keys): r runs COMMAND now (a manual tick), q quits",
            "as Ctrl-C does."})
final class Cli implements Callable<Integer> {

    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;

    /** The core's names of the coalescing settings, and the options that set them. */
    private static final Map<String, String> OPTION_NAMES = Map.of(
            "window", "--window", "maxBatch", "--max-batch", "settle", "--settle", "maxWait", "--max-wait");
    /** A setting's name, or a duration as {@link Duration#toString()} writes it. */
    private static final Pattern CORE_TERM = Pattern.compile("\\b(window|maxBatch|settle|maxWait|PT(?=\\d)[0-9.HMS]+)\\b");

    @Spec
    CommandSpec spec;

    @ArgGroup(validate = false, order = 1, heading = "%nWhat to watch:%n")
    Watching watching = new Watching();

    @ArgGroup(validate = false, order = 2, heading = "%nWhen a tick starts (coalescing):%n")
    Ticking ticking = new Ticking();

    @ArgGroup(validate = false, order = 3, heading = "%nHow COMMAND runs:%n")
    Running running = new Running();

    @ArgGroup(validate = false, order = 4, heading = "%nChanges while COMMAND runs, and stopping it:%n")
    Busy busy = new Busy();

    @ArgGroup(validate = false, order = 5, heading = "%nState and output:%n")
    Output output = new Output();

    /** The roots and what of them counts. */
    static final class Watching {
        @Option(names = {"-w", "--watch"}, paramLabel = "PATH", order = 1,
                description = "A directory to watch, or a file to watch alone (its directory is not walked); "
                        + "repeatable. Default: the current directory.")
        List<Path> watch = new ArrayList<>();

        @Option(names = {"-e", "--exts"}, paramLabel = "LIST", split = ",", order = 2,
                description = "Only files with these extensions, comma-separated (java,kt). Default: all.")
        List<String> exts = new ArrayList<>();

        @Option(names = {"-f", "--filter"}, paramLabel = "GLOB", order = 3,
                description = "Only paths matching this glob, relative to its root (src/**/*.java); repeatable.")
        List<String> filters = new ArrayList<>();

        @Option(names = {"-i", "--ignore"}, paramLabel = "GLOB", order = 4,
                description = "Leave out paths matching this glob; repeatable.")
        List<String> ignores = new ArrayList<>();

        @Option(names = "--no-vcs-ignore", order = 5,
                description = "Do not read .gitignore files (read in every watched tree by default).")
        boolean noVcsIgnore;

        @Option(names = "--no-defer-vcs", order = 6,
                description = "Do not hold ticks while a watched tree's git or hg repository is in an operation "
                        + "(a checkout, a rebase or merge stopped on a conflict, a bisect). Default: they wait, "
                        + "and one tick follows the operation.")
        boolean noDeferVcs;

        @Option(names = "--poll", paramLabel = "DURATION", arity = "0..1", fallbackValue = "1s", order = 7,
                converter = DurationConverter.class,
                description = "Use the polling backend instead of native events, scanning every DURATION. "
                        + "Default when given: 1s.")
        Duration poll;
    }

    /** Coalescing: when a burst of changes becomes a tick. */
    static final class Ticking {
        @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class, order = 1,
                description = "Coalescing window: a tick starts at most this long after the first change of a "
                        + "burst. Default: 50ms.")
        Duration window;

        @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class, order = 2,
                description = "Quiet-period mode instead of the window: tick once no change arrived for DURATION.")
        Duration settle;

        @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class, order = 3,
                description = "With --settle: tick at the latest this long after the first pending change. "
                        + "Default: " + Coalescing.DEFAULT_MAX_WAIT_FACTOR + " x settle.")
        Duration maxWait;

        @Option(names = "--max-batch", paramLabel = "N", order = 4,
                description = "Also start a tick once a window holds N events, before the window ends; not with "
                        + "--settle. Default: no limit (a burst inside one window is one tick).")
        Integer maxBatch;
    }

    /** How each run of the command starts and ends. */
    static final class Running {
        @Option(names = {"-p", "--postpone"}, order = 1,
                description = "No unconditional run at start (changes found at start still tick).")
        boolean postpone;

        @Option(names = "--delay-run", paramLabel = "DURATION", converter = DurationConverter.class, order = 2,
                description = "Wait DURATION before each run (after the tick starts; a restart or a stop "
                        + "during the wait starts nothing). Default: no wait.")
        Duration delayRun;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, order = 3,
                description = "Stop a run that takes longer than DURATION, as a restart would; its tick is "
                        + "timed-out and its changes come again with the next run. Default: none.")
        Duration timeout;

        @Option(names = {"-E", "--env"}, paramLabel = "KEY=VALUE", order = 4,
                description = "Set a variable in COMMAND's environment; repeatable.")
        Map<String, String> env = new LinkedHashMap<>();

        @Option(names = "--workdir", paramLabel = "DIR", order = 5,
                description = "Run COMMAND in DIR. Default: the directory rwatch runs in.")
        Path workdir;

        @Option(names = "--shell", paramLabel = "SHELL", order = 6,
                description = "Run COMMAND's words, joined with spaces, as one script: SHELL -c 'WORDS'. "
                        + "Default: no shell.")
        String shell;

        @Option(names = "--exit-on-error", order = 7,
                description = "Exit after a run that fails (with its exit status; 127 if it could not start) "
                        + "or times out (124), state persisted first. Default: keep watching.")
        boolean exitOnError;
    }

    /** What changes that arrive during a run do to it, and how a run is stopped. */
    static final class Busy {
        @Option(names = "--on-busy", paramLabel = "POLICY", converter = OnBusyConverter.class, order = 1,
                completionCandidates = OnBusyNames.class,
                description = "When changes arrive while COMMAND runs: queue (run once more afterwards with "
                        + "all of them), drop (discard and count them; do-nothing is accepted too), restart (stop "
                        + "COMMAND and rerun), or signal (send --signal to COMMAND; the changes wait for its next "
                        + "run). Default: queue.")
        OnBusy onBusy;

        @Option(names = {"-r", "--restart"}, order = 2, description = "Short for --on-busy restart.")
        boolean restart;

        @Option(names = {"-s", "--signal"}, paramLabel = "SIG", converter = SignalConverter.class, order = 3,
                completionCandidates = SignalNames.class,
                description = "The signal of --on-busy signal (which it implies), for a COMMAND that reloads "
                        + "on it. Default: HUP.")
        Signal signal;

        @Option(names = "--stop-signal", paramLabel = "SIG", converter = SignalConverter.class, order = 4,
                completionCandidates = SignalNames.class,
                description = "The signal that stops a run (restart, timeout, shutdown), sent to its whole "
                        + "process group. Default: TERM.")
        Signal stopSignal;

        @Option(names = "--stop-timeout", paramLabel = "DURATION", converter = DurationConverter.class, order = 5,
                description = "How long a stopped COMMAND's process group may take to end after the stop "
                        + "signal before SIGKILL. Default: 10s.")
        Duration stopTimeout = RunConfig.DEFAULT_STOP_TIMEOUT;
    }

    /** What rwatch keeps and reports. */
    static final class Output {
        @Option(names = "--state", paramLabel = "FILE", order = 1,
                description = "Persist state here; on start, changes made while rwatch was stopped become a "
                        + "startup tick.")
        Path state;

        @Option(names = "--events-json", paramLabel = "FILE", order = 2,
                description = "Write JSON lines (ready, tick, held, error, stopped) to FILE, or to stdout for -.")
        String eventsJson;

        @Option(names = {"-q", "--quiet"}, order = 3,
                description = "Only warnings and errors on stderr: no tick lines, no status line.")
        boolean quiet;

        @Option(names = {"-v", "--verbose"}, order = 4,
                description = "Also each run's start, its process group, and every signal sent to it.")
        boolean verbose;

        @Option(names = {"-c", "--clear"}, order = 5,
                description = "Clear the screen before each run of COMMAND (when stdout is a terminal).")
        boolean clear;

        @Option(names = "--no-keys", order = 6,
                description = "Do not read keys from the terminal (by default, when stdin is one: r runs now, "
                        + "q quits, and COMMAND's stdin is /dev/null). COMMAND then keeps the terminal's input.")
        boolean noKeys;
    }

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The command to run per tick, and its arguments (put them after --).")
    List<String> command = new ArrayList<>();

    private final ToIntFunction<RunConfig> runner;

    Cli(ToIntFunction<RunConfig> runner) {
        this.runner = runner;
    }

    /**
     * Parses {@code args} and runs. Usage errors print one line to {@code err} and return
     * {@link #EXIT_USAGE}; {@code --help} and {@code --version} print to {@code out} and return 0.
     */
    static int execute(String[] args, PrintWriter out, PrintWriter err, ToIntFunction<RunConfig> runner) {
        CommandLine cl = new CommandLine(new Cli(runner));
        cl.setOut(out);
        cl.setErr(err);
        // Everything from the first positional on is the command, so its own options stay its own.
        cl.setStopAtPositional(true);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("rwatch: " + oneLine(e.getMessage()) + " (see rwatch --help)");
            err.flush();
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            err.println("rwatch: " + oneLine(String.valueOf(e.getMessage())));
            err.flush();
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        return runner.applyAsInt(toConfig());
    }

    RunConfig toConfig() {
        Watching w = watching != null ? watching : new Watching();
        Ticking t = ticking != null ? ticking : new Ticking();
        Running r = running != null ? running : new Running();
        Busy b = busy != null ? busy : new Busy();
        Output o = output != null ? output : new Output();
        List<Path> roots = new ArrayList<>();
        for (Path p : w.watch.isEmpty() ? List.of(Path.of(".")) : w.watch) {
            Path abs = p.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                throw usage("watch root does not exist: " + abs);
            }
            if (Files.isDirectory(abs) ? !Files.isReadable(abs) : !Files.isRegularFile(abs)) {
                throw usage(Files.isDirectory(abs) ? "watch root is not a readable directory: " + abs
                        : "watch root is neither a directory nor a regular file: " + abs);
            }
            roots.add(abs);
        }
        List<String> extensions = new ArrayList<>();
        for (String e : w.exts) {
            String ext = e.trim();
            ext = ext.startsWith(".") ? ext.substring(1) : ext;
            if (ext.isEmpty()) {
                throw usage("--exts: empty extension in '" + String.join(",", w.exts) + "'");
            }
            extensions.add(ext);
        }
        if (t.window != null && t.settle != null) {
            throw usage("--window and --settle cannot be combined: --settle replaces the window");
        }
        if (t.maxWait != null && t.settle == null) {
            throw usage("--max-wait needs --settle");
        }
        if (t.maxBatch != null && t.settle != null) {
            throw usage("--max-batch and --settle cannot be combined: --settle never closes a batch by count");
        }
        Coalescing coalescing = coalescing(t);
        requirePositive("--poll", w.poll);
        requirePositive("--timeout", r.timeout);
        OnBusy onBusy = onBusy(b);
        Path stateFile = o.state == null ? null : o.state.toAbsolutePath().normalize();
        if (stateFile != null && Files.isDirectory(stateFile)) {
            throw usage("--state " + stateFile + " is a directory, not a file");
        }
        if (o.eventsJson != null && !o.eventsJson.equals("-")) {
            Path file = Path.of(o.eventsJson).toAbsolutePath().normalize();
            Path dir = file.getParent();
            if (Files.isDirectory(file) || dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw usage("--events-json " + file + " cannot be written");
            }
        }
        if (o.quiet && o.verbose) {
            throw usage("--quiet and --verbose cannot be combined");
        }
        if (o.clear && command.isEmpty()) {
            throw usage("--clear needs a COMMAND to run (it clears the screen before each run)");
        }
        if (o.clear && "-".equals(o.eventsJson)) {
            throw usage("--clear and --events-json - cannot be combined: clearing the screen would wipe the JSON "
                    + "lines on stdout");
        }
        CommandOptions options = new CommandOptions(
                b.stopSignal != null ? b.stopSignal : Signal.TERM,
                onBusy == OnBusy.SIGNAL ? (b.signal != null ? b.signal : Signal.HUP) : null,
                r.timeout,
                r.exitOnError,
                environment(r.env),
                workdir(r.workdir),
                shell(r.shell),
                r.delayRun != null ? r.delayRun : Duration.ZERO);
        Verbosity verbosity = o.quiet ? Verbosity.QUIET : o.verbose ? Verbosity.VERBOSE : Verbosity.NORMAL;
        return new RunConfig(roots, extensions, w.filters, w.ignores, !w.noVcsIgnore, coalescing,
                onBusy.corePolicy(), b.stopTimeout, w.poll, stateFile, r.postpone, o.eventsJson, command, options,
                verbosity, o.clear, !o.noKeys, !w.noDeferVcs);
    }

    /** {@code --on-busy}, with {@code --restart} and {@code --signal}, which imply a policy, checked against it. */
    private OnBusy onBusy(Busy b) {
        if (b.restart && b.onBusy != null && b.onBusy != OnBusy.RESTART) {
            throw usage("--restart and --on-busy " + b.onBusy.wireName() + " cannot be combined: --restart is "
                    + "--on-busy restart");
        }
        if (b.signal != null && b.restart) {
            throw usage("--signal and --restart cannot be combined: --signal is for --on-busy signal");
        }
        if (b.signal != null && b.onBusy != null && b.onBusy != OnBusy.SIGNAL) {
            throw usage("--signal and --on-busy " + b.onBusy.wireName() + " cannot be combined: --signal is for "
                    + "--on-busy signal");
        }
        if (b.onBusy != null) {
            return b.onBusy;
        }
        return b.restart ? OnBusy.RESTART : b.signal != null ? OnBusy.SIGNAL : OnBusy.QUEUE;
    }

    private Map<String, String> environment(Map<String, String> env) {
        for (String key : env.keySet()) {
            if (key.isEmpty() || key.indexOf('\0') >= 0) {
                throw usage("--env: '" + key + "' is not a variable name; write KEY=VALUE");
            }
        }
        return env;
    }

    private Path workdir(Path dir) {
        if (dir == null) {
            return null;
        }
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw usage("--workdir " + abs + (Files.exists(abs) ? " is not a directory" : " does not exist"));
        }
        return abs;
    }

    private String shell(String shell) {
        if (shell == null) {
            return null;
        }
        if (shell.isBlank()) {
            throw usage("--shell needs a shell, such as --shell bash");
        }
        if (command.isEmpty()) {
            throw usage("--shell needs a COMMAND to run (put it after --)");
        }
        return shell;
    }

    /**
     * {@code --window} and {@code --max-batch}, or {@code --settle} and {@code --max-wait}, as the one value
     * the daemon takes. The core checks it; what it rejects is a usage error in the options' names.
     */
    private Coalescing coalescing(Ticking t) {
        try {
            if (t.settle != null) {
                return t.maxWait != null ? Coalescing.settle(t.settle, t.maxWait) : Coalescing.settle(t.settle);
            }
            Duration w = t.window != null ? t.window : Coalescing.DEFAULT_WINDOW;
            return t.maxBatch != null ? Coalescing.window(w, t.maxBatch) : Coalescing.window(w);
        } catch (IllegalArgumentException e) {
            throw usage(inOptionTerms(e.getMessage()));
        }
    }

    /**
     * A core message about coalescing as the command line says it: {@code maxWait (PT0.5S) must not be
     * shorter than settle (PT1S)} reads {@code --max-wait (500ms) must not be shorter than --settle (1s)}.
     */
    static String inOptionTerms(String coreMessage) {
        Matcher m = CORE_TERM.matcher(coreMessage);
        return m.replaceAll(r -> Matcher.quoteReplacement(OPTION_NAMES.containsKey(r.group(1))
                ? OPTION_NAMES.get(r.group(1)) : Durations.format(Duration.parse(r.group(1)))));
    }

    private void requirePositive(String option, Duration d) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw usage(option + " must be longer than zero");
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static String oneLine(String message) {
        return message == null ? "invalid command line" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** Reads durations such as {@code 50ms} or {@code 2s}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The busy policies of the command line, and the core's policy each runs on. */
    enum OnBusy {
        QUEUE("queue", BusyPolicy.QUEUE),
        /** The library's name; watchexec users know it as {@code do-nothing}, which is read as an alias. */
        DROP("drop", BusyPolicy.DROP),
        RESTART("restart", BusyPolicy.RESTART),
        /** Queue, and signal the running command whenever changes arrive. */
        SIGNAL("signal", BusyPolicy.QUEUE);

        private final String wireName;
        private final BusyPolicy corePolicy;

        OnBusy(String wireName, BusyPolicy corePolicy) {
            this.wireName = wireName;
            this.corePolicy = corePolicy;
        }

        String wireName() {
            return wireName;
        }

        BusyPolicy corePolicy() {
            return corePolicy;
        }
    }

    /**
     * Reads the busy policy names of the command line: {@code queue}, {@code drop}, {@code restart},
     * {@code signal}, the library's names where they exist, and {@code do-nothing} as an alias of {@code drop}.
     */
    static final class OnBusyConverter implements ITypeConverter<OnBusy> {
        @Override
        public OnBusy convert(String value) {
            if (value.equals("do-nothing")) {
                return OnBusy.DROP;
            }
            for (OnBusy p : OnBusy.values()) {
                if (p.wireName.equals(value)) {
                    return p;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a policy; use queue, drop, restart or signal");
        }
    }

    /** The policy names the command line takes, offered by shell completion (not the enum's constants). */
    static final class OnBusyNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(OnBusy.values()).map(OnBusy::wireName).iterator();
        }
    }

    /** The signal names, offered by shell completion. */
    static final class SignalNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Signal.NAMES.iterator();
        }
    }

    /** Reads signal names: {@code TERM}, {@code hup}, {@code SIGUSR1}. */
    static final class SignalConverter implements ITypeConverter<Signal> {
        @Override
        public Signal convert(String value) {
            try {
                return Signal.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The version the build wrote into {@code version.properties}. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rwatch " + version()};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "(unknown version)";
            }
            return p.getProperty("version", "(unknown version)");
        }
    }
}
