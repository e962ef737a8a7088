package io.reactivewatch.samples.rwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class ManualTest {

    private final CommandSpec spec = Manual.commandLine().getCommandSpec();
    private final String page = Manual.manPage(spec, "1.2.3");

    @Test
    void everyOptionOfTheCommandLineIsOnThePageInBoldAsTyped() {
        assertThat(spec.options()).isNotEmpty();
        for (OptionSpec o : spec.options()) {
            for (String name : o.names()) {
                assertThat(page).contains("\\fB" + name.replace("-", "\\-") + "\\fR");
            }
        }
    }

    @Test
    void everyGroupOfOptionsIsASubsectionInTheOrderOfTheHelp() {
        List<String> headings = new ArrayList<>();
        spec.argGroups().stream().sorted((a, b) -> Integer.compare(a.order(), b.order()))
                .map(ArgGroupSpec::heading).map(Manual::heading).forEach(headings::add);
        assertThat(headings).contains("What to watch");
        int from = 0;
        for (String h : headings) {
            int at = page.indexOf(".SS " + Manual.line(h) + "\n", from);
            assertThat(at).as("subsection %s after the previous one", h).isGreaterThan(from);
            from = at;
        }
    }

    @Test
    void thePageNamesItselfAndItsVersionAndDescribesTheCommandArgument() {
        assertThat(page).startsWith(".\\\"").contains(".TH RWATCH 1 \"\" \"rwatch 1.2.3\" \"User Commands\"\n")
                .contains(".SH NAME\nrwatch \\- " + Manual.SUMMARY + "\n")
                .contains(".SH SYNOPSIS\nrwatch [OPTIONS] [\\-\\- COMMAND [ARGS...]]\n")
                .contains(".SH ARGUMENTS\n.TP\n\\fICOMMAND\\fR\n");
    }

    @Test
    void descriptionsKeepGlobsAndDoubleDashesAsWritten() {
        assertThat(page).contains("(src/**/*.java)").contains("such as: \\-\\- sh \\-c 'make && ./run')");
    }

    @Test
    void theFooterKeepsItsLinesAndColumnsUnfilled() {
        assertThat(page).contains(".SH NOTES\n.nf\nCOMMAND runs with")
                .contains("\n  RWATCH_TICK           the tick number (1, 2, ...)\n")
                .endsWith(".fi\n");
    }

    @Test
    void textCannotBecomeARoffRequestOrEscape() {
        assertThat(Manual.line(".gitignore files")).isEqualTo("\\&.gitignore files");
        assertThat(Manual.line("'quoted' start")).isEqualTo("\\&'quoted' start");
        assertThat(Manual.line("a\\fB b")).isEqualTo("a\\efB b");
        assertThat(Manual.line("3 × 2 – 1")).isEqualTo("3 \\[u00D7] 2 \\[u2013] 1");
        assertThat(Manual.line("tab\there")).isEqualTo("tab here");
    }

    @Test
    void aGroupHeadingLosesItsLineBreaksAndColon() {
        assertThat(Manual.heading("%nState and output:%n")).isEqualTo("State and output");
    }

    @Test
    void theCompletionOffersOnlyValuesTheCommandLineAccepts() {
        int checked = 0;
        for (OptionSpec o : spec.options()) {
            if (o.completionCandidates() == null) {
                continue;
            }
            for (String value : o.completionCandidates()) {
                StringWriter err = new StringWriter();
                int status = Cli.execute(new String[] {o.longestName(), value}, new PrintWriter(new StringWriter()),
                        new PrintWriter(err), config -> 0);
                assertThat(status).as("%s %s: %s", o.longestName(), value, err).isZero();
                checked++;
            }
        }
        assertThat(checked).as("values offered for --on-busy, --signal and --stop-signal").isGreaterThan(50);
        assertThat(Manual.completion(Manual.commandLine()))
                .contains("(\"queue\" \"drop\" \"restart\" \"signal\") # --on-busy values")
                .contains("complete -F _complete_rwatch -o default rwatch");
    }
}
