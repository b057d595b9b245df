package io.formix.bench.query;

import io.formix.bench.Measure;
import io.formix.data.Budget;
import io.formix.data.CsvSource;
import io.formix.data.DataSource;
import io.formix.data.DataSources;
import io.formix.query.Answer;
import io.formix.query.Evaluator;
import io.formix.query.Query;
import io.formix.query.QueryParser;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Evaluates a count, a sum and a histogram query over a generated 1,000,000-row CSV file on one
 * light node, each beside the raw floor measured in the same run: a bare {@link BufferedReader}
 * reading the same file line by line and splitting each line at its commas ({@code String.split}).
 * The file is read from the page cache in both (it is read once before measuring).
 *
 * <pre>scripts/bench-query.sh [--quick] [--rows N]</pre>
 *
 * Exit code 0 if every query runs at >= 50 % of the floor's rows per second, 1 otherwise.
 */
public final class QueryBenchmark {

    static final String COUNT = "{\"dataset\":\"patients\",\"where\":[{\"column\":\"age\",\"op\":\">=\",\"value\":65}],"
            + "\"aggregate\":{\"type\":\"count\"},\"maxRows\":%d}";
    static final String SUM = "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"sum\",\"column\":\"fee\",\"min\":0,"
            + "\"max\":5000,\"decimals\":2},\"maxRows\":%d}";
    static final String HISTOGRAM =
            "{\"dataset\":\"patients\",\"aggregate\":{\"type\":\"histogram\",\"column\":\"age\","
                    + "\"edges\":[0,18,40,65,80]},\"maxRows\":%d}";

    private QueryBenchmark() {}

    public static void main(String[] args) throws IOException {
        boolean quick = Arrays.asList(args).contains("--quick");
        int rows = 1_000_000;
        int i = Arrays.asList(args).indexOf("--rows");
        if (i >= 0) {
            rows = Integer.parseInt(args[i + 1]);
        }
        Measure m = quick ? new Measure(2, 3) : new Measure(3, 7);
        Path dir = Files.createTempDirectory("formix-bench-query");
        Path csv = dir.resolve("patients.csv");
        try {
            generate(csv, rows);
            System.out.printf(
                    "query benchmark: %,d rows, %.1f MB CSV (%s: %d warm-ups, median of %d; %s, %d CPUs)%n",
                    rows,
                    Files.size(csv) / 1e6,
                    quick ? "quick" : "full",
                    m.warmups,
                    m.repetitions,
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());
            DataSource source = DataSources.open(CsvSource.inspect(
                    "patients", csv, 1L << 32, Map.of(), Budget.of(Long.MAX_VALUE, Duration.ofMinutes(10))));
            double worst = Double.MAX_VALUE;
            for (String[] q : new String[][] {
                {"count where age >= 65", COUNT},
                {"sum of fee, 2 decimals", SUM},
                {"histogram of age, 5 edges", HISTOGRAM}
            }) {
                Query query = QueryParser.parse(String.format(q[1], rows));
                Answer check = Evaluator.evaluate(query, source, System::nanoTime);
                Measure.Comparison c = m.compare(1, () -> floor(csv), () -> (int)
                        Evaluator.evaluate(query, source, System::nanoTime).cells()[0]);
                double floorRate = rows / c.floorSeconds();
                double rate = rows / c.seconds();
                System.out.printf(
                        "  %-28s %,12.0f rows/s   floor (BufferedReader + split) %,12.0f rows/s   %s of "
                                + "floor (%s)   answer %s%n",
                        q[0],
                        rate,
                        floorRate,
                        Measure.pct(c.floorOverOp()),
                        Measure.verdict(c.floorOverOp(), 0.5),
                        Arrays.toString(check.cells()));
                worst = Math.min(worst, c.floorOverOp());
            }
            System.exit(worst >= 0.5 ? 0 : 1);
        } finally {
            Files.deleteIfExists(csv);
            Files.deleteIfExists(dir);
        }
    }

    /** The floor: every line read and split into its fields, nothing else. */
    static int floor(Path csv) {
        int fields = 0;
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                fields += line.split(",").length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fields;
    }

    /** {@code id,age,fee,city}: ages 0..99 with some blanks, fees 0.00..4999.99, four cities. */
    static void generate(Path csv, int rows) throws IOException {
        SplittableRandom rnd = new SplittableRandom(42);
        String[] cities = {"Bern", "Genf", "Basel", "Zurich"};
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("id,age,fee,city\n");
            StringBuilder b = new StringBuilder(64);
            for (int i = 1; i <= rows; i++) {
                b.setLength(0);
                b.append(i).append(',');
                if (rnd.nextInt(100) != 0) {
                    b.append(rnd.nextInt(100));
                }
                int cents = rnd.nextInt(500_000);
                b.append(',')
                        .append(cents / 100)
                        .append('.')
                        .append(cents % 100 < 10 ? "0" : "")
                        .append(cents % 100)
                        .append(',')
                        .append(cities[rnd.nextInt(cities.length)])
                        .append('\n');
                w.write(b.toString());
            }
        }
    }
}
