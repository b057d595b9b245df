package io.formix.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A source as its owner registered it, kept in {@code node.db}: the dataset name, the kind, where
 * the data is (a file, an argv list and its working folder) and its limits, and the columns found
 * (or declared) when it was added. Private to the node: only {@link #descriptor()} may be shown.
 */
public record SourceSpec(
        String name,
        SourceKind kind,
        String path,
        String sql,
        List<String> argv,
        String workdir,
        Duration timeout,
        long maxBytes,
        List<Column> columns) {

    /** Dataset names: a letter, then letters, digits, {@code _} or {@code -}; at most 64. */
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");

    public static final long DEFAULT_CSV_MAX_BYTES = 1L << 30;
    public static final long DEFAULT_OUTPUT_MAX_BYTES = 16L << 20;
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration MAX_COMMAND_TIMEOUT = Duration.ofHours(1);
    static final int MAX_ARGS = 256;
    static final int MAX_SQL = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    public SourceSpec {
        checkName(name);
        argv = argv == null ? List.of() : List.copyOf(argv);
        columns = columns == null ? List.of() : List.copyOf(columns);
    }

    /** Fails in one line unless {@code name} is a valid dataset name. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new DataException("'" + (name == null ? "" : name.length() > 80 ? name.substring(0, 80) + "…" : name)
                    + "' is not a dataset name (a letter, then letters, digits, _ or -; at most 64)");
        }
        return name;
    }

    public Descriptor descriptor() {
        return new Descriptor(name, columns);
    }

    public SourceSpec withColumns(List<Column> cols) {
        return new SourceSpec(name, kind, path, sql, argv, workdir, timeout, maxBytes, cols);
    }

    String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind.label());
        if (path != null) {
            n.put("path", path);
        }
        if (sql != null) {
            n.put("sql", sql);
        }
        if (!argv.isEmpty()) {
            ArrayNode a = n.putArray("argv");
            argv.forEach(a::add);
        }
        if (workdir != null) {
            n.put("workdir", workdir);
        }
        if (timeout != null) {
            n.put("timeoutMillis", timeout.toMillis());
        }
        n.put("maxBytes", maxBytes);
        ArrayNode cs = n.putArray("columns");
        for (Column c : columns) {
            cs.addObject().put("name", c.name()).put("type", c.type().label());
        }
        return n.toString();
    }

    static SourceSpec fromJson(String name, String json) {
        try {
            JsonNode n = JSON.readTree(json);
            List<String> argv = new ArrayList<>();
            n.path("argv").forEach(a -> argv.add(a.asText()));
            List<Column> cols = new ArrayList<>();
            n.path("columns")
                    .forEach(c -> cols.add(new Column(
                            c.get("name").asText(),
                            ColumnType.parse(c.get("type").asText()))));
            return new SourceSpec(
                    name,
                    SourceKind.parse(n.get("kind").asText()),
                    text(n, "path"),
                    text(n, "sql"),
                    argv,
                    text(n, "workdir"),
                    n.has("timeoutMillis")
                            ? Duration.ofMillis(n.get("timeoutMillis").asLong())
                            : null,
                    n.path("maxBytes").asLong(0),
                    cols);
        } catch (Exception e) {
            throw new DataException("the registration of dataset " + name + " in node.db is unreadable ("
                    + e.getMessage() + ") — remove it with formix data rm and add it again");
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
