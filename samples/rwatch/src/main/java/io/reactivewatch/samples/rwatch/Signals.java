package io.reactivewatch.samples.rwatch;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Routes SIGINT and SIGTERM to a {@link Shutdown}, so either stops gracefully and exits 0 and a second
 * SIGINT forces the exit. Without handlers the JVM would run its shutdown hooks and exit 130 or 143, and
 * a second Ctrl-C would be ignored while the hooks run.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is reached reflectively: compiling against it directly
 * raises a warning that cannot be suppressed.
 */
final class Signals {

    private Signals() {
    }

    /**
     * Installs the handlers.
     *
     * @return {@code false} if a signal could not be taken over (the JVM's shutdown, and with it rwatch's
     *         shutdown hook, then handles it)
     */
    static boolean install(Shutdown shutdown) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> newSignal = signalClass.getConstructor(String.class);
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method signalName = signalClass.getMethod("getName");
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "handle":
                                if ("INT".equals(String.valueOf(signalName.invoke(args[0])))) {
                                    shutdown.interrupt();
                                } else {
                                    shutdown.request();
                                }
                                return null;
                            case "equals":
                                return proxy == args[0];
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            default:
                                return "rwatch signal handler";
                        }
                    });
            boolean all = true;
            for (String name : new String[] {"INT", "TERM"}) {
                // One at a time: a signal the JVM keeps to itself (-Xrs) must not cost the other one.
                try {
                    handle.invoke(null, newSignal.newInstance(name), handler);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    all = false;
                }
            }
            return all;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
