package io.reactivewatch.spring.autoconfigure.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What a user sees when a watcher setting is wrong: Spring Boot's failure report naming the property. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {

    @TempDir
    Path root;

    /** Runs the README's application with these settings as command-line arguments, which outrank its properties. */
    private void start(Path watched, String... settings) {
        List<String> args = new ArrayList<>(List.of("--spring.main.banner-mode=off",
                "--reactive-watch.watchers.docs.state-file=" + root.resolve("state.json"),
                "--reactive-watch.watchers.docs.roots=" + watched));
        for (String s : settings) {
            args.add("--" + s);
        }
        SpringApplicationBuilder app = new SpringApplicationBuilder(DocsApplication.class).web(WebApplicationType.NONE);
        assertThatThrownBy(() -> app.run(args.toArray(String[]::new))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void aMissingRootIsReportedByItsProperty(CapturedOutput output) {
        start(root.resolve("missing"));
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: reactive-watch.watchers.docs.roots[0]")
                .contains("Reason: watch root does not exist")
                .doesNotContain("\tat io.reactivewatch");
    }

    @Test
    void aStateFileThatIsNotOursIsReportedByItsProperty(CapturedOutput output) throws IOException {
        Files.writeString(root.resolve("state.json"), "{}");
        start(root);
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Property: reactive-watch.watchers.docs.state-file")
                .contains("is not a reactive-watch state file")
                .doesNotContain("\tat io.reactivewatch");
    }

    @Test
    void aBadDurationIsReportedByItsProperty(CapturedOutput output) {
        start(root, "reactive-watch.watchers.docs.settle=soon");
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("reactive-watch.watchers.docs.settle")
                .contains("soon");
    }
}
