package io.formix.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.formix.cli.CliException;
import io.formix.cli.ExitCodes;
import io.formix.data.DataSource;
import io.formix.data.DataSourceStore;
import io.formix.data.DataSources;
import io.formix.query.Answer;
import io.formix.query.Canonical;
import io.formix.query.Decoder;
import io.formix.query.Evaluator;
import io.formix.query.Query;
import io.formix.query.QueryParser;
import io.formix.query.Words;
import io.formix.query.WrapGuard;
import io.formix.service.TerminalText;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code formix data query}: evaluates a query on this node's own data and prints the answer it
 * would share, without sending anything.
 */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = "evaluate a query on a light node's data and print the answer it would share (nothing is sent)")
final class DataQuery implements Callable<Integer> {

    @ParentCommand
    DataCommand parent;

    @Parameters(paramLabel = "LIGHT-UID")
    String uid;

    @Option(
            names = "--query",
            required = true,
            paramLabel = "JSON|@FILE",
            description = "the query, e.g. '{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"count\"}}', or @FILE")
    String query;

    @Option(names = "--nodes", paramLabel = "N", description = "also check that the total over N nodes cannot wrap")
    Long nodes;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        String text = read(query);
        Query q = parent.withStore(uid, store -> QueryParser.parse(text));
        if (nodes != null && nodes < 1) {
            throw new CliException(ExitCodes.USAGE, "--nodes must be at least 1");
        }
        Map<String, Object> m = parent.withStore(uid, store -> {
            DataSourceStore.Entry e = store.get(q.dataset())
                    .orElseThrow(() -> new CliException(
                            ExitCodes.NOT_FOUND,
                            "no dataset " + q.dataset() + " on " + uid + " — see formix data list " + uid));
            if (nodes != null) {
                WrapGuard.check(q, nodes);
            }
            DataSource source = DataSources.open(e.spec());
            Answer a = Evaluator.evaluate(q, source, System::nanoTime);
            BigInteger[] bounds = q.cellBounds();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("dataset", q.dataset());
            r.put("words", Words.of(q));
            r.put("query", parse(Canonical.json(q)));
            r.put("kind", source.kind().label());
            r.put(
                    "cells",
                    a.cells().length > 64
                            ? null
                            : Arrays.stream(a.cells()).boxed().toList());
            r.put("width", a.cells().length);
            r.put("value", Decoder.decode(q.aggregate(), a.cells(), 1));
            r.put("rows", a.rows());
            r.put("matched", a.matched());
            r.put("missing", a.missing());
            r.put("clamped", a.clamped());
            r.put("perNodeBound", WrapGuard.largest(bounds));
            r.put("maxNodes", WrapGuard.maxNodes(bounds));
            return r;
        });
        parent.main.print(json, () -> m, out -> {
            out.println("query    " + TerminalText.safe(m.get("words")));
            out.println("runs on  dataset " + TerminalText.safe(q.dataset()) + " (" + m.get("kind") + ")");
            if (m.get("kind").equals("csv") || m.get("kind").equals("sqlite")) {
                out.println("rows     " + m.get("rows") + " read, " + m.get("matched") + " matching, "
                        + m.get("missing") + " missing value(s) skipped, " + m.get("clamped") + " clamped");
            }
            out.println("shares   " + m.get("width") + " number(s) mod 2^64; one node's answer is at most "
                    + m.get("perNodeBound") + ", so totals over up to " + m.get("maxNodes") + " nodes cannot wrap");
            String v = m.get("value").toString();
            out.println("answer   " + TerminalText.safe(v.length() > 2000 ? v.substring(0, 2000) + "…" : v)
                    + "  (nothing was sent)");
        });
        return ExitCodes.OK;
    }

    private static JsonNode parse(String canonical) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(canonical);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The query text, or the content of {@code @FILE} (a regular file, not through a symlink, bounded). */
    static String read(String arg) {
        if (!arg.startsWith("@")) {
            return arg;
        }
        Path f = Path.of(arg.substring(1));
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new CliException(ExitCodes.USAGE, "--query " + arg + ": no such regular file");
            }
            if (Files.size(f) > QueryParser.MAX_CHARS) {
                throw new CliException(
                        ExitCodes.USAGE, "--query " + arg + ": larger than " + QueryParser.MAX_CHARS + " bytes");
            }
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "--query " + arg + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
