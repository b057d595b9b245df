package io.formix.state;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rows of a light node's {@code computations} table: reading an {@link LightStore.Entry},
 * encoding shares (base64 {@code ShareCodec} bytes, comma-separated; a query computation's in one
 * BLOB, {@link #blob}) and answer cells (8 bytes
 * little-endian each), and adding the columns of query computations to a {@code node.db} made
 * before they existed.
 */
final class LightRows {

    static final String COLUMNS = "id, prompt, schema, scheme, deadline, heavies, state, answer, shares, reason, "
            + "received_at, query, dp_epsilon, threshold, cells, detail, reviewed_hash, approved_hash, proposer";

    /** The columns a query computation adds, with their types. */
    private static final String[][] QUERY_COLUMNS = {
        {"query", "TEXT"},
        {"dp_epsilon", "TEXT"},
        {"threshold", "INTEGER"},
        {"cells", "BLOB"},
        {"detail", "TEXT"},
        {"reviewed_hash", "TEXT"},
        {"approved_hash", "TEXT"},
        {"proposer", "TEXT"}
    };

    /** More shares than heavy nodes a computation can name: a damaged row. */
    private static final int MAX_SHARES = 16;

    private LightRows() {}

    /** Adds the query columns a table made by an earlier version lacks (no data changes). */
    static void addQueryColumns(Sqlite db) {
        Set<String> have = new HashSet<>(db.query("PRAGMA table_info(computations)", rs -> rs.getString("name")));
        for (String[] c : QUERY_COLUMNS) {
            if (!have.contains(c[0])) {
                db.update("ALTER TABLE computations ADD COLUMN " + c[0] + " " + c[1]);
            }
        }
    }

    static LightStore.Entry read(ResultSet rs) throws SQLException {
        int a = rs.getInt(8);
        Integer answer = rs.wasNull() ? null : a;
        String query = rs.getString(12);
        LightStore.Asked asked = null;
        if (query != null) {
            String eps = rs.getString(13);
            asked = new LightStore.Asked(
                    query,
                    eps == null ? null : new BigDecimal(eps),
                    rs.getInt(14),
                    cells(rs.getBytes(15)),
                    rs.getString(16),
                    rs.getString(17),
                    rs.getString(18),
                    rs.getString(19));
        }
        return new LightStore.Entry(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                List.copyOf(StoreFiles.split(rs.getString(6))),
                LightStore.State.valueOf(rs.getString(7).toUpperCase(Locale.ROOT)),
                answer,
                shares(rs.getObject(9)),
                rs.getString(10),
                rs.getLong(11),
                asked);
    }

    static byte[] cells(long[] cells) {
        ByteBuffer b = ByteBuffer.allocate(cells.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long c : cells) {
            b.putLong(c);
        }
        return b.array();
    }

    static long[] cells(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length % 8 != 0) {
            throw new StateException("an answer in node.db has " + bytes.length + " bytes, not a multiple of 8");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[bytes.length / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }

    static String encode(List<byte[]> shares) {
        StringBuilder b = new StringBuilder();
        for (byte[] s : shares) {
            b.append(b.length() == 0 ? "" : ",").append(Base64.getEncoder().encodeToString(s));
        }
        return b.toString();
    }

    /**
     * The shares of a query computation as one BLOB: per share a 4-byte big-endian length, then its
     * {@code ShareCodec} bytes (a vector's shares are megabytes: no base64 on the way in or out).
     */
    static byte[] blob(List<byte[]> shares) {
        int total = 0;
        for (byte[] s : shares) {
            total = Math.addExact(total, Math.addExact(4, s.length));
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        shares.forEach(s -> b.putInt(s.length).put(s));
        return b.array();
    }

    /** The shares column as written by {@link #encode} (text) or {@link #blob} (bytes); null when empty. */
    static List<byte[]> shares(Object column) {
        if (column instanceof byte[] bytes) {
            return unblob(bytes);
        }
        return decode(column == null ? null : column.toString());
    }

    static List<byte[]> unblob(byte[] bytes) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            if (b.remaining() < 4 || out.size() >= MAX_SHARES) {
                throw new StateException("the shares in node.db are damaged (" + bytes.length + " bytes)");
            }
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new StateException("the shares in node.db are damaged: a share of " + n + " bytes in "
                        + b.remaining() + " remaining");
            }
            byte[] s = new byte[n];
            b.get(s);
            out.add(s);
        }
        return List.copyOf(out);
    }

    static List<byte[]> decode(String s) {
        List<byte[]> out = new ArrayList<>();
        if (s != null && !s.isEmpty()) {
            for (String p : s.split(",")) {
                out.add(Base64.getDecoder().decode(p));
            }
        }
        return List.copyOf(out);
    }
}
