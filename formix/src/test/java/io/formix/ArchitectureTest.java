package io.formix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The module and package rules of {@code docs/design.md}, checked on the sources of the whole
 * reactor: every reference to an {@code io.formix} package (import or qualified name) must be one
 * the referring module or package may use. A small import reader rather than a bytecode tool: the
 * rules are about which code may know which, and the sources say that directly.
 */
@Timeout(60)
class ArchitectureTest {

    /** An {@code io.formix} package name: lower-case segments, stopping at the first type name. */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.formix(?:\\.[a-z][a-z0-9_]*)+");

    /** Which packages the main code of each module may refer to, besides its own. */
    private static final Map<String, Predicate<String>> MODULE_MAY_USE = Map.of(
            "transport-api", transportApi(),
            "transport-file", transportApi().or(under("io.formix.transport.file")),
            "transport-tcp", transportApi().or(under("io.formix.transport.tcp")),
            "transport-seal", transportApi().or(under("io.formix.transport.seal")),
            "mpc", under("io.formix.mpc"),
            "proxy",
                    transportApi()
                            .or(under("io.formix.transport.file"))
                            .or(under("io.formix.transport.tcp"))
                            .or(under("io.formix.proxy")),
            "formix",
                    under("io.formix")
                            .and(under("io.formix.proxy").negate())
                            .and(under("io.formix.bench").negate()));

    /**
     * Package rules inside the formix module (docs/design.md): a package on the left never uses the
     * one on the right. {@code cli} → {@code service} → the rest; nothing below the service layer
     * knows it or the command line. ({@code CliLayeringTest} holds {@code cli} to using only
     * {@code service}.)
     */
    private static final List<String[]> FORMIX_FORBIDDEN = List.of(
            new String[] {"io.formix.service", "io.formix.cli"},
            new String[] {"io.formix.node", "io.formix.cli"},
            new String[] {"io.formix.node", "io.formix.service"},
            new String[] {"io.formix.registry", "io.formix.cli"},
            new String[] {"io.formix.registry", "io.formix.service"},
            new String[] {"io.formix.state", "io.formix.cli"},
            new String[] {"io.formix.state", "io.formix.service"},
            new String[] {"io.formix.state", "io.formix.node"},
            new String[] {"io.formix.state", "io.formix.registry"},
            new String[] {"io.formix.protocol", "io.formix.cli"},
            new String[] {"io.formix.protocol", "io.formix.service"},
            new String[] {"io.formix.protocol", "io.formix.node"},
            new String[] {"io.formix.protocol", "io.formix.state"},
            new String[] {"io.formix.data", "io.formix.cli"},
            new String[] {"io.formix.data", "io.formix.service"},
            new String[] {"io.formix.data", "io.formix.node"},
            new String[] {"io.formix.query", "io.formix.cli"},
            new String[] {"io.formix.query", "io.formix.service"},
            new String[] {"io.formix.query", "io.formix.node"},
            new String[] {"io.formix.query", "io.formix.state"},
            new String[] {"io.formix.policy", "io.formix.cli"},
            new String[] {"io.formix.policy", "io.formix.service"},
            new String[] {"io.formix.policy", "io.formix.node"},
            new String[] {"io.formix.dp", "io.formix.cli"},
            new String[] {"io.formix.dp", "io.formix.service"},
            new String[] {"io.formix.dp", "io.formix.node"},
            new String[] {"io.formix.dp", "io.formix.state"});

    @Test
    void everyModuleUsesOnlyWhatTheDesignAllows() throws IOException {
        Path root = reactorRoot();
        List<String> violations = new ArrayList<>();
        for (var rule : MODULE_MAY_USE.entrySet()) {
            Path sources = root.resolve(rule.getKey()).resolve("src/main/java");
            assertTrue(Files.isDirectory(sources), "missing module sources: " + sources);
            for (Path file : javaFiles(sources)) {
                String own = packageOf(file);
                for (String used : references(file)) {
                    if (!used.startsWith(own) && !rule.getValue().test(used)) {
                        violations.add(rule.getKey() + ": " + sources.relativize(file) + " uses " + used);
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "module rules of docs/design.md broken");
    }

    @Test
    void formixPackagesKeepTheirLayering() throws IOException {
        Path sources = reactorRoot().resolve("formix/src/main/java");
        List<String> violations = new ArrayList<>();
        for (Path file : javaFiles(sources)) {
            String own = packageOf(file);
            for (String used : references(file)) {
                for (String[] rule : FORMIX_FORBIDDEN) {
                    if (under(rule[0]).test(own) && under(rule[1]).test(used)) {
                        violations.add(sources.relativize(file) + " (" + own + ") uses " + used);
                    }
                }
            }
        }
        assertEquals(List.of(), violations, "package rules of docs/design.md broken");
    }

    /** The longest a class of formix/src/main may be, in lines of the formatted source (issue 9). */
    private static final int MAX_LINES = 300;

    @Test
    void noClassInFormixMainIsOver300Lines() throws IOException {
        Path sources = reactorRoot().resolve("formix/src/main/java");
        List<String> tooLong = new ArrayList<>();
        for (Path file : javaFiles(sources)) {
            int lines = Files.readAllLines(file).size();
            if (lines > MAX_LINES) {
                tooLong.add(sources.relativize(file) + " (" + lines + " lines)");
            }
        }
        assertEquals(List.of(), tooLong, "classes over " + MAX_LINES + " lines: split them");
    }

    @Test
    void theReaderSeesQualifiedNamesButNotComments() {
        String source = "package io.formix.cli;\nimport io.formix.state.NetworkDb;\n"
                + "// io.formix.proxy.Proxy in a comment\n"
                + "class X { Object y = new io.formix.node.Node(); String s = \"io.formix.bench\"; }\n";
        assertEquals(List.of("io.formix.cli", "io.formix.node", "io.formix.state"), List.copyOf(referencesIn(source)));
    }

    private static Predicate<String> transportApi() {
        return p -> p.equals("io.formix.transport")
                || under("io.formix.transport.spi").test(p);
    }

    private static Predicate<String> under(String pkg) {
        return p -> p.equals(pkg) || p.startsWith(pkg + ".");
    }

    private static Path reactorRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("transport-api"))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "reactor root not found above " + Path.of("").toAbsolutePath());
        return dir;
    }

    private static List<Path> javaFiles(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String packageOf(Path file) throws IOException {
        Matcher m = Pattern.compile("(?m)^package\\s+([\\w.]+);").matcher(Files.readString(file));
        assertTrue(m.find(), "no package statement in " + file);
        return m.group(1);
    }

    private static TreeSet<String> references(Path file) throws IOException {
        return referencesIn(Files.readString(file));
    }

    private static TreeSet<String> referencesIn(String source) {
        String code = codeOnly(source);
        TreeSet<String> packages = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            packages.add(m.group());
        }
        return packages;
    }

    /** The source with comments, string, text-block and char literals blanked out. */
    static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = endOf(source, "\n", i + 2);
            } else if (source.startsWith("/*", i)) {
                i = endOf(source, "*/", i + 2);
            } else if (source.startsWith("\"\"\"", i)) {
                i = endOfLiteral(source, "\"\"\"", i + 3);
            } else if (c == '"' || c == '\'') {
                i = endOfLiteral(source, String.valueOf(c), i + 1);
            } else {
                code.append(c);
                i++;
                continue;
            }
            code.append(' ');
        }
        return code.toString();
    }

    private static int endOf(String source, String terminator, int from) {
        int at = source.indexOf(terminator, from);
        return at < 0 ? source.length() : at + terminator.length();
    }

    private static int endOfLiteral(String source, String quote, int from) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(quote, i)) {
                return i + quote.length();
            } else {
                i++;
            }
        }
        return i;
    }
}
