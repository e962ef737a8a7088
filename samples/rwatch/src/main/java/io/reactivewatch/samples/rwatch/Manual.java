package io.reactivewatch.samples.rwatch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * rwatch's manual page ({@code rwatch.1}) and shell completion script ({@code rwatch_completion}), written
 * from the command line's picocli model when the build packages rwatch, so neither can say other than
 * {@code rwatch --help}.
 *
 * <p>The page is roff written here, not AsciiDoc converted by Asciidoctor: that conversion needs JRuby (28 MB)
 * and several seconds per build, and its markup read {@code src/**}{@code /*.java} and {@code --} in our
 * descriptions as emphasis and a dash. Here every character of the model's text is escaped for roff.
 */
final class Manual {

    /** The page's one-line summary (its NAME section); the rest comes from the model. */
    static final String SUMMARY = "watch directories, coalesce changes into ticks, run a command once per tick";

    private Manual() {
    }

    /**
     * Writes {@code rwatch.1} and {@code rwatch_completion} into the directory given as the only argument.
     *
     * @param args the output directory
     * @throws IOException when a file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Manual OUTPUT_DIRECTORY");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        CommandLine cl = commandLine();
        Files.writeString(dir.resolve("rwatch.1"), manPage(cl.getCommandSpec(), Cli.Version.version()),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("rwatch_completion"), completion(cl), StandardCharsets.UTF_8);
    }

    /** The command line as rwatch parses it, for its model only: it runs nothing. */
    static CommandLine commandLine() {
        return new CommandLine(new Cli(config -> {
            throw new IllegalStateException("the manual's model of the command line runs nothing");
        }));
    }

    /**
     * The bash completion script; zsh reads it too (it loads bashcompinit when it runs under zsh).
     */
    static String completion(CommandLine cl) {
        return AutoComplete.bash(cl.getCommandName(), cl);
    }

    /** The manual page in roff, for {@code man -l}. */
    static String manPage(CommandSpec spec, String version) {
        StringBuilder m = new StringBuilder();
        m.append(".\\\" Written from rwatch's command line model by the build (Manual.java): edit Cli.java instead.\n");
        String source = line(spec.name() + " " + version).replace("\"", "");
        m.append(".TH RWATCH 1 \"\" \"").append(source).append("\" \"User Commands\"\n");
        m.append(".SH NAME\n").append(line(spec.name() + " - " + SUMMARY)).append('\n');
        m.append(".SH SYNOPSIS\n");
        for (String s : spec.usageMessage().customSynopsis()) {
            m.append(line(formatted(s).strip())).append('\n');
        }
        m.append(".SH DESCRIPTION\n");
        for (String paragraph : spec.usageMessage().description()) {
            if (!paragraph.isBlank()) {
                m.append(".PP\n").append(line(formatted(paragraph).strip())).append('\n');
            }
        }
        Help help = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF));
        m.append(".SH OPTIONS\n");
        for (OptionSpec o : spec.options()) {
            if (o.group() == null && !o.hidden()) {
                option(m, help, o);
            }
        }
        List<ArgGroupSpec> groups = new ArrayList<>(spec.argGroups());
        groups.sort(Comparator.comparingInt(ArgGroupSpec::order));
        for (ArgGroupSpec g : groups) {
            m.append(".SS ").append(line(heading(g.heading()))).append('\n');
            List<OptionSpec> options = new ArrayList<>(g.options());
            options.sort(Comparator.comparingInt(OptionSpec::order));
            for (OptionSpec o : options) {
                if (!o.hidden()) {
                    option(m, help, o);
                }
            }
        }
        if (!spec.positionalParameters().isEmpty()) {
            m.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                m.append(".TP\n\\fI").append(line(p.paramLabel())).append("\\fR\n")
                        .append(line(description(p.description()))).append('\n');
            }
        }
        // The footer lines up its tables with spaces: kept line for line, unfilled.
        List<String> footer = new ArrayList<>();
        for (String f : spec.usageMessage().footer()) {
            footer.addAll(List.of(formatted(f).split("\n", -1)));
        }
        while (!footer.isEmpty() && footer.get(0).isBlank()) {
            footer.remove(0);
        }
        while (!footer.isEmpty() && footer.get(footer.size() - 1).isBlank()) {
            footer.remove(footer.size() - 1);
        }
        if (!footer.isEmpty()) {
            m.append(".SH NOTES\n.nf\n");
            for (String l : footer) {
                m.append(l.isBlank() ? ".sp" : line(l)).append('\n');
            }
            m.append(".fi\n");
        }
        return m.toString();
    }

    private static void option(StringBuilder m, Help help, OptionSpec o) {
        m.append(".TP\n");
        String[] names = o.names();
        for (int i = 0; i < names.length; i++) {
            m.append(i == 0 ? "" : ", ").append("\\fB").append(line(names[i])).append("\\fR");
        }
        String label = help.parameterLabelRenderer().renderParameterLabel(o, Help.Ansi.OFF, List.of()).toString();
        if (!label.isEmpty()) {
            m.append("\\fI").append(line(label)).append("\\fR");
        }
        m.append('\n').append(line(description(o.description()))).append('\n');
    }

    private static String description(String[] lines) {
        List<String> parts = new ArrayList<>();
        for (String l : lines) {
            String s = formatted(l).strip();
            if (!s.isEmpty()) {
                parts.add(s.replace('\n', ' '));
            }
        }
        return String.join(" ", parts);
    }

    /** A group heading such as {@code %nWhat to watch:%n} as a subsection title: {@code What to watch}. */
    static String heading(String heading) {
        String h = formatted(heading).strip();
        return h.endsWith(":") ? h.substring(0, h.length() - 1) : h;
    }

    /** picocli's help text goes through {@code String.format}: {@code %n} is a line break, {@code %%} a percent. */
    private static String formatted(String s) {
        return s.replace("%n", "\n").replace("%%", "%");
    }

    /**
     * One line of text as roff reads it literally: a backslash is {@code \e}, a minus {@code \-} (not a hyphen:
     * option names must copy and search as typed), a control character a space, a character beyond ASCII its
     * {@code \[uXXXX]} name, and a line that would start with a request's {@code .} or {@code '} is guarded
     * with {@code \&}.
     */
    static String line(String text) {
        StringBuilder b = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (c == '\\') {
                b.append("\\e");
            } else if (c == '-') {
                b.append("\\-");
            } else if (c < 32) {
                b.append(' ');
            } else if (c > 126) {
                b.append(String.format("\\[u%04X]", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.length() > 0 && (b.charAt(0) == '.' || b.charAt(0) == '\'') ? "\\&" + b : b.toString();
    }
}
