package io.reactivewatch.samples.rwatch;

import io.reactivewatch.core.BusyPolicy;
import io.reactivewatch.core.Coalescing;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
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
            "COMMAND runs with stdin/stdout/stderr passed through and these variables set:",
            "  RWATCH_TICK           the tick number (1, 2, ...)",
            "  RWATCH_CHANGES_FILE   a JSON file with the tick's change set",
            "  RWATCH_CHANGED_PATHS  the changed absolute paths, one per line (left out above 64 KiB)",
            "  RWATCH_CHANGED_PATHS_OMITTED",
            "                        how many changed paths that list leaves out: a name with a newline",
            "                        cannot be a line, and above 64 KiB all are (the changes file has all)",
            "Exit 0 with an ok tick, non-zero with a failed one; a failed tick is not retried on its own,",
            "its changes come again with the next tick.",
            "",
            "Durations: a number and a unit, ms, s, m or h (50ms, 2s, 1.5s, 1m).",
            "Exit status: 0 after SIGINT or SIGTERM (graceful stop, state persisted); 2 on bad usage;",
            "130 when a second SIGINT forces the exit; 1 on an unexpected failure."})
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

    @Option(names = {"-w", "--watch"}, paramLabel = "PATH",
            description = "A directory to watch; repeatable. Default: the current directory.")
    List<Path> watch = new ArrayList<>();

    @Option(names = {"-e", "--exts"}, paramLabel = "LIST", split = ",",
            description = "Only files with these extensions, comma-separated (java,kt). Default: all.")
    List<String> exts = new ArrayList<>();

    @Option(names = {"-f", "--filter"}, paramLabel = "GLOB",
            description = "Only paths matching this glob, relative to its root (src/**/*.java); repeatable.")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-i", "--ignore"}, paramLabel = "GLOB",
            description = "Leave out paths matching this glob; repeatable.")
    List<String> ignores = new ArrayList<>();

    @Option(names = "--no-vcs-ignore",
            description = "Do not read .gitignore files (read in every watched tree by default).")
    boolean noVcsIgnore;

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Coalescing window: a tick starts at most this long after the first change of a "
                    + "burst. Default: 50ms.")
    Duration window;

    @Option(names = "--settle", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Quiet-period mode instead of the window: tick once no change arrived for DURATION.")
    Duration settle;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --settle: tick at the latest this long after the first pending change. "
                    + "Default: " + Coalescing.DEFAULT_MAX_WAIT_FACTOR + " x settle.")
    Duration maxWait;

    @Option(names = "--max-batch", paramLabel = "N",
            description = "Also start a tick once a window holds N events, before the window ends; not with "
                    + "--settle. Default: no limit (a burst inside one window is one tick).")
    Integer maxBatch;

    @Option(names = "--on-busy", paramLabel = "POLICY", converter = BusyPolicyConverter.class,
            description = "While COMMAND runs: queue (run once more with everything that arrived), do-nothing "
                    + "(discard it) or restart (stop COMMAND and rerun). Default: queue.")
    BusyPolicy onBusy = BusyPolicy.QUEUE;

    @Option(names = "--stop-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a running COMMAND may take to end (restart, shutdown) before it is "
                    + "killed. Default: 10s.")
    Duration stopTimeout = RunConfig.DEFAULT_STOP_TIMEOUT;

    @Option(names = "--poll", paramLabel = "DURATION", arity = "0..1", fallbackValue = "1s",
            converter = DurationConverter.class,
            description = "Use the polling backend instead of native events, scanning every DURATION. "
                    + "Default when given: 1s.")
    Duration poll;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Persist state here; on start, changes made while rwatch was stopped become a "
                    + "startup tick.")
    Path state;

    @Option(names = "--postpone",
            description = "No unconditional run at start (changes found at start still tick).")
    boolean postpone;

    @Option(names = "--events-json", paramLabel = "FILE",
            description = "Write JSON lines (ready, tick, error, stopped) to FILE, or to stdout for -.")
    String eventsJson;

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
        List<Path> roots = new ArrayList<>();
        for (Path p : watch.isEmpty() ? List.of(Path.of(".")) : watch) {
            Path abs = p.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                throw usage("watch root does not exist: " + abs);
            }
            if (!Files.isDirectory(abs) || !Files.isReadable(abs)) {
                throw usage("watch root is not a readable directory: " + abs);
            }
            roots.add(abs);
        }
        List<String> extensions = new ArrayList<>();
        for (String e : exts) {
            String ext = e.trim();
            ext = ext.startsWith(".") ? ext.substring(1) : ext;
            if (ext.isEmpty()) {
                throw usage("--exts: empty extension in '" + String.join(",", exts) + "'");
            }
            extensions.add(ext);
        }
        if (window != null && settle != null) {
            throw usage("--window and --settle cannot be combined: --settle replaces the window");
        }
        if (maxWait != null && settle == null) {
            throw usage("--max-wait needs --settle");
        }
        if (maxBatch != null && settle != null) {
            throw usage("--max-batch and --settle cannot be combined: --settle never closes a batch by count");
        }
        Coalescing coalescing = coalescing();
        requirePositive("--poll", poll);
        Path stateFile = state == null ? null : state.toAbsolutePath().normalize();
        if (stateFile != null && Files.isDirectory(stateFile)) {
            throw usage("--state " + stateFile + " is a directory, not a file");
        }
        if (eventsJson != null && !eventsJson.equals("-")) {
            Path file = Path.of(eventsJson).toAbsolutePath().normalize();
            Path dir = file.getParent();
            if (Files.isDirectory(file) || dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw usage("--events-json " + file + " cannot be written");
            }
        }
        return new RunConfig(roots, extensions, filters, ignores, !noVcsIgnore, coalescing, onBusy, stopTimeout,
                poll, stateFile, postpone, eventsJson, command);
    }

    /**
     * {@code --window} and {@code --max-batch}, or {@code --settle} and {@code --max-wait}, as the one value
     * the daemon takes. The core checks it; what it rejects is a usage error in the options' names.
     */
    private Coalescing coalescing() {
        try {
            if (settle != null) {
                return maxWait != null ? Coalescing.settle(settle, maxWait) : Coalescing.settle(settle);
            }
            Duration w = window != null ? window : Coalescing.DEFAULT_WINDOW;
            return maxBatch != null ? Coalescing.window(w, maxBatch) : Coalescing.window(w);
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

    /** Reads the busy policy names of the command line: {@code queue}, {@code do-nothing}, {@code restart}. */
    static final class BusyPolicyConverter implements ITypeConverter<BusyPolicy> {
        @Override
        public BusyPolicy convert(String value) {
            switch (value) {
                case "queue":
                    return BusyPolicy.QUEUE;
                case "do-nothing":
                    return BusyPolicy.DROP;
                case "restart":
                    return BusyPolicy.RESTART;
                default:
                    throw new TypeConversionException("'" + value + "' is not a policy; use queue, do-nothing or restart");
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
