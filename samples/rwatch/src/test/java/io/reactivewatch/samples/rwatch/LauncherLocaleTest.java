package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherLocaleTest {

    private static Map<String, String> env(String... keysAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            env.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return env;
    }

    @Test
    void theUsersLcAllReplacesTheOneTheLauncherSet() {
        Map<String, String> env = env("LC_ALL", "C.UTF-8", LauncherLocale.VARIABLE, "POSIX", "LANG", "C");
        LauncherLocale.handBack(env);
        assertThat(env).isEqualTo(Map.of("LC_ALL", "POSIX", "LANG", "C"));
    }

    @Test
    void anLcAllThatWasNotSetIsRemoved() {
        Map<String, String> env = env("LC_ALL", "C.UTF-8", LauncherLocale.VARIABLE, "", "LANG", "C");
        LauncherLocale.handBack(env);
        assertThat(env).isEqualTo(Map.of("LANG", "C"));
    }

    @Test
    void withoutTheLaunchersVariableTheEnvironmentStaysAsItIs() {
        Map<String, String> env = env("LC_ALL", "C.UTF-8", "LANG", "C");
        LauncherLocale.handBack(env);
        assertThat(env).isEqualTo(Map.of("LC_ALL", "C.UTF-8", "LANG", "C"));
    }
}
