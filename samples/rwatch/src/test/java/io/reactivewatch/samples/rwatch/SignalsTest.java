package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Signals are sent to a small child JVM ({@link Probe}), never to the test JVM: its own handlers must stay
 * as they are.
 */
class SignalsTest {

    /** Installs the handlers, reports each step on stdout, exits 0 after a graceful request, 130 when forced. */
    static final class Probe {
        public static void main(String[] args) throws InterruptedException {
            Shutdown shutdown = new Shutdown();
            shutdown.onForce(() -> {
                System.out.println("forced");
                System.out.flush();
                Runtime.getRuntime().halt(130);
            });
            System.out.println("installed " + Signals.install(shutdown));
            shutdown.await();
            System.out.println("stopping");
            // Stay up like a graceful stop in progress, until stdin closes.
            try {
                while (System.in.read() >= 0) {
                    // drain
                }
            } catch (IOException e) {
                // stdin gone
            }
            System.exit(0);
        }
    }

    private static Process probe() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Probe.class.getName()).redirectErrorStream(true).start();
    }

    private static void signal(Process p, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Sends {@code name} once the probe installed its handlers, and again once it is stopping. */
    private static BufferedReader signalTwice(Process p, String name) throws IOException, InterruptedException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("installed true");
        signal(p, name);
        assertThat(out.readLine()).isEqualTo("stopping");
        signal(p, name);
        return out;
    }

    @Test
    void sigtermRequestsAGracefulStopAndRepeatingItDoesNotForce() throws Exception {
        Process p = probe();
        try (BufferedReader out = signalTwice(p, "TERM")) {
            p.getOutputStream().close();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(out.readLine()).isNull();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSecondSigintForces() throws Exception {
        Process p = probe();
        try (BufferedReader out = signalTwice(p, "INT")) {
            assertThat(out.readLine()).isEqualTo("forced");
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(130);
        } finally {
            p.destroyForcibly();
        }
    }
}
