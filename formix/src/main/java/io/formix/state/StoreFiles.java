package io.formix.state;

import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** What the node stores share: opening a {@code node.db} of the current layout, and id lists as text. */
final class StoreFiles {

    private StoreFiles() {}

    /**
     * Opens {@code file} with {@code schema}, then checks that it has the current layout (each of
     * {@code probes} runs); a {@code node.db} made by an older Formix is refused with what to do.
     */
    static Sqlite open(Path file, String schema, String... probes) {
        Sqlite db;
        try {
            db = Sqlite.open(file, schema);
        } catch (StateException e) {
            if (String.valueOf(e.getMessage()).contains("no such column")) {
                throw older(file, e);
            }
            throw e;
        }
        try {
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    for (String p : probes) {
                        s.executeQuery(p).close();
                    }
                }
                return null;
            });
        } catch (StateException e) {
            db.close();
            throw older(file, e);
        }
        return db;
    }

    private static StateException older(Path file, StateException e) {
        return new UnusableDatabaseException(
                file,
                "was made by an older Formix (shares stored per heavy node " + "index); it cannot be migrated",
                e);
    }

    /** Ids joined with commas (a party id never holds one). */
    static String join(Collection<PartyId> ids) {
        StringBuilder b = new StringBuilder();
        for (PartyId id : ids) {
            b.append(b.length() == 0 ? "" : ",").append(id.value());
        }
        return b.toString();
    }

    static List<PartyId> split(String s) {
        List<PartyId> out = new ArrayList<>();
        if (s != null && !s.isEmpty()) {
            for (String p : s.split(",")) {
                out.add(PartyId.of(p));
            }
        }
        return out;
    }
}
