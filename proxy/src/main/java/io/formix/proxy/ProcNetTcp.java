package io.formix.proxy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Linux's socket table: {@code /proc/net/tcp} (IPv4 sockets) and {@code /proc/net/tcp6} (IPv6
 * sockets, including dual-stack ones such as Java's, whose IPv4 peers appear as IPv4-mapped
 * addresses). Both are read for every snapshot.
 *
 * <p>Each line after the header is {@code sl local rem st tx_queue:rx_queue tr:when retrnsmt uid
 * timeout inode ...}. An endpoint is {@code ADDRESS:PORT} in hexadecimal: the port as a number,
 * the address as 32-bit words (one for IPv4, four for IPv6) each printed as the number the
 * kernel reads from memory, so in the machine's byte order ({@code 0100007F} is 127.0.0.1 on a
 * little-endian machine). Lines that do not parse are skipped.
 */
final class ProcNetTcp implements SocketTable {
    static final Path TCP = Path.of("/proc/net/tcp");
    static final Path TCP6 = Path.of("/proc/net/tcp6");

    /** Bytes asked of the kernel per read. */
    private static final int CHUNK = 64 * 1024;
    /** Longer lines are not the kernel's format (its lines are under 200 characters). */
    static final int MAX_LINE = 512;

    private final List<Path> files;

    ProcNetTcp(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /** This machine's table, or empty where {@code /proc/net/tcp} cannot be read (not Linux, no /proc). */
    static Optional<SocketTable> system() {
        if (!Files.isReadable(TCP)) {
            return Optional.empty();
        }
        try {
            new ProcNetTcp(List.of(TCP)).snapshot();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.of(new ProcNetTcp(List.of(TCP, TCP6)));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each file is read in large chunks: the kernel fills each read with as many whole lines as
     * fit and resumes the next read by position, so fewer reads leave less room for a line to be
     * skipped while sockets come and go.
     */
    @Override
    public List<Entry> snapshot() throws IOException {
        List<Entry> all = new ArrayList<>();
        for (Path f : files) {
            try (InputStream in = Files.newInputStream(f)) {
                parse(in, ByteOrder.nativeOrder(), all);
            } catch (NoSuchFileException e) {
                // no IPv6 in this kernel: only /proc/net/tcp exists
            }
        }
        return all;
    }

    /** Parses the text of {@code /proc/net/tcp} or {@code tcp6} written by a machine of byte order {@code order}. */
    static List<Entry> parse(String text, ByteOrder order) {
        List<Entry> out = new ArrayList<>();
        try {
            parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), order, out);
        } catch (IOException e) {
            throw new IllegalStateException("reading an array", e);
        }
        return out;
    }

    /**
     * Parses line by line as the bytes arrive, so memory stays bounded however many sockets
     * there are; a line longer than {@link #MAX_LINE} is skipped.
     */
    private static void parse(InputStream in, ByteOrder order, List<Entry> out) throws IOException {
        byte[] buf = new byte[CHUNK];
        StringBuilder line = new StringBuilder();
        boolean tooLong = false;
        int n;
        while ((n = in.read(buf)) >= 0) {
            for (int i = 0; i < n; i++) {
                char c = (char) (buf[i] & 0xff);
                if (c == '\n') {
                    add(tooLong ? null : parseLine(line.toString(), order), out);
                    line.setLength(0);
                    tooLong = false;
                } else if (line.length() < MAX_LINE) {
                    line.append(c);
                } else {
                    tooLong = true;
                }
            }
        }
        add(tooLong ? null : parseLine(line.toString(), order), out);
    }

    private static void add(Entry e, List<Entry> out) {
        if (e != null) {
            out.add(e);
        }
    }

    /** One line, or null for the header and anything malformed. */
    static Entry parseLine(String line, ByteOrder order) {
        String[] f = fields(line, 8);
        if (f == null || !f[0].endsWith(":")) {
            return null;
        }
        try {
            InetSocketAddress local = endpoint(f[1], order);
            InetSocketAddress remote = endpoint(f[2], order);
            int state = Integer.parseInt(f[3], 16);
            int colon = f[4].indexOf(':');
            if (colon < 0) {
                return null;
            }
            long tx = Long.parseLong(f[4].substring(0, colon), 16);
            long rx = Long.parseLong(f[4].substring(colon + 1), 16);
            int uid = Integer.parseUnsignedInt(f[7]);
            return local == null || remote == null ? null : new Entry(local, remote, state, tx, rx, uid);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code ADDRESS:PORT} in the kernel's hexadecimal; null if malformed. */
    static InetSocketAddress endpoint(String hex, ByteOrder order) {
        int colon = hex.indexOf(':');
        if (colon < 0 || hex.length() - colon - 1 != 4) {
            return null;
        }
        InetAddress address = address(hex.substring(0, colon), order);
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        return address == null ? null : new InetSocketAddress(address, port);
    }

    /** 8 hex digits (IPv4) or 32 (IPv6), each 32-bit word in {@code order}; null if malformed. */
    static InetAddress address(String hex, ByteOrder order) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(hex.length() / 2).order(order);
        for (int i = 0; i < hex.length(); i += 8) {
            b.putInt(Integer.parseUnsignedInt(hex.substring(i, i + 8), 16));
        }
        try {
            return InetAddress.getByAddress(b.array());
        } catch (UnknownHostException e) {
            return null; // cannot happen for 4 or 16 bytes
        }
    }

    /** The first {@code n} whitespace-separated fields, or null if the line has fewer. */
    private static String[] fields(String line, int n) {
        String[] f = new String[n];
        int i = 0;
        int len = line.length();
        for (int k = 0; k < n; k++) {
            while (i < len && line.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < len && line.charAt(i) != ' ') {
                i++;
            }
            if (start == i) {
                return null;
            }
            f[k] = line.substring(start, i);
        }
        return f;
    }
}
