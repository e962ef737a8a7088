package io.reactivewatch.benchmarks;

import io.reactivewatch.benchmarks.e2e.Harness;
import io.reactivewatch.benchmarks.launcher.LauncherCheck;
import java.util.Arrays;

/**
 * Entry point of {@code benchmarks.jar}: {@code jmh ...} runs the JMH micro-benchmarks (all JMH options
 * apply), {@code e2e ...} runs the end-to-end comparison against peer watchers, {@code launcher ...} compares
 * rwatch's launcher script with {@code java -jar}, {@code hot ...} tallies the samples of a flight recording or
 * a perf profile.
 */
public final class Main {

    private Main() {
    }

    /**
     * Dispatches on the first argument.
     *
     * @param args {@code jmh}, {@code e2e}, {@code launcher} or {@code hot}, then that mode's options
     * @throws Exception whatever the chosen mode throws
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.out.println("usage: java -jar benchmarks.jar jmh [JMH options]   (e.g. jmh -prof gc)");
            System.out.println("       java -jar benchmarks.jar e2e [--help | options]");
            System.out.println("       java -jar benchmarks.jar launcher [--help | options]");
            System.out.println("       java -jar benchmarks.jar hot [--top N] [--skip-threads REGEX] FILE.jfr...");
            System.out.println("       java -jar benchmarks.jar hot [--top N] [--skip-threads REGEX] --perf-script FILE [--windows LOG]");
            return;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            case "jmh":
                org.openjdk.jmh.Main.main(rest);
                break;
            case "e2e":
                System.exit(Harness.main(rest));
                break;
            case "launcher":
                System.exit(LauncherCheck.main(rest));
                break;
            case "hot":
                System.exit(io.reactivewatch.benchmarks.e2e.HotMethods.main(rest));
                break;
            case Harness.CHILD_COMMAND:
                System.exit(Harness.child(rest));
                break;
            default:
                System.err.println("unknown mode '" + args[0] + "': expected jmh, e2e, launcher or hot");
                System.exit(2);
        }
    }
}
