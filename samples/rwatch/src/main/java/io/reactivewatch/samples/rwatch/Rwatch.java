package io.reactivewatch.samples.rwatch;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * The {@code rwatch} program: watches directories, coalesces changes into ticks and runs a command once per
 * tick. Run {@code java -jar rwatch.jar --help} for the options; docs/design.md ("The rwatch command line") is the
 * contract.
 */
public final class Rwatch {

    private Rwatch() {
    }

    /**
     * Runs rwatch and exits with its status: 0 after a graceful stop, 2 on bad usage, 130 when a second SIGINT
     * forces the exit, 1 on an unexpected failure.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Charset cs = Charset.defaultCharset();
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, cs), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, cs), true);
        Shutdown shutdown = new Shutdown();
        Terminal terminal = new Terminal(System.err, System.console() != null);
        // Library warnings (a corrupt state file set aside, a root gone) read as one line, like rwatch's own.
        LibraryLog.route(terminal);
        Runner runner = new Runner(WatchEngine::files, System.out, terminal, shutdown, Runtime.getRuntime()::halt,
                Runner::redirectedOutputFiles).withTty(Tty.system());
        // Before anything slow: a signal during start-up then still means "stop gracefully".
        Signals.install(shutdown);
        Runtime.getRuntime().addShutdownHook(new Thread(runner::stopFromShutdownHook, "rwatch-shutdown"));
        int status = Cli.execute(args, out, err, runner::run);
        out.flush();
        err.flush();
        System.exit(status);
    }
}
