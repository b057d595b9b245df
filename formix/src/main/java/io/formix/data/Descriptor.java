package io.formix.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All that may ever describe a data source to anyone but its owner: the dataset name and its
 * columns with their types (none for command and manual sources). Never a path, a value or a row.
 */
public record Descriptor(String dataset, List<Column> columns) {

    public Descriptor {
        columns = List.copyOf(columns);
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public int index(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** {@code {"dataset": …, "columns": [{"name": …, "type": …}]}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put(
                "columns",
                columns.stream()
                        .map(c -> {
                            Map<String, Object> cm = new LinkedHashMap<>();
                            cm.put("name", c.name());
                            cm.put("type", c.type().label());
                            return cm;
                        })
                        .toList());
        return m;
    }
}
