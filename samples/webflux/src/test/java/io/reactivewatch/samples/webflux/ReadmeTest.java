package io.reactivewatch.samples.webflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's WebFlux section shows the sample's code and configuration as they are. */
class ReadmeTest {

    private static final Path README = Path.of("..", "..", "README.md");

    @Test
    void theBeanBlockIsTheApplicationsReconcilerBean() throws IOException {
        String self = Files.readString(Path.of("src/main/java/io/reactivewatch/samples/webflux/WatchApplication.java"));
        Matcher code = Pattern.compile("// README:webflux\\n(.*?)// README:end", Pattern.DOTALL).matcher(self);
        assertThat(code.find()).as("WatchApplication marks its bean with // README:webflux").isTrue();
        assertThat(block("webflux-bean", "java")).isEqualTo(code.group(1).stripIndent().strip());
    }

    @Test
    void theYamlBlockIsPartOfApplicationYml() throws IOException {
        String yml = Files.readString(Path.of("src/main/resources/application.yml")).replace("\r", "");
        assertThat(yml).contains(block("webflux-yml", "yaml"));
    }

    private static String block(String name, String language) throws IOException {
        String readme = Files.readString(README);
        Matcher m = Pattern.compile("<!-- snippet:" + name + " -->\\s*```" + language + "\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertThat(m.find()).as("README has a %s block marked <!-- snippet:%s -->", language, name).isTrue();
        return m.group(1).replace("\r", "").stripTrailing();
    }
}
