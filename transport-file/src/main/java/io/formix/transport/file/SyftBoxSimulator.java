package io.formix.transport.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for SyftBox's sync engine, for tests and demos on one machine (SyftBox itself is not
 * available here). Each client is a local workspace folder {@code <dir>/datasites/} of one email;
 * an in-memory server holds the synced files. It follows SyftBox's documented rules
 * (OpenMined/syftbox {@code docs/sync.md}, {@code internal/client/sync}):
 *
 * <ul>
 *   <li>a <b>full sync</b> of every client every period (5 s in SyftBox; shorter in tests), each
 *       client on its own phase, its operations in random order: a three-way reconciliation of the
 *       local folder, the server and the client's journal (upload, download, delete either way,
 *       conflict);</li>
 *   <li><b>priority files</b> ({@code *.request}, {@code *.response}, {@code syft.pub.yaml}, at most
 *       1 MiB) written in a client's own datasite are uploaded after a short debounce (50 ms) and
 *       pushed to the clients that may read them at once; their deletion waits for the full sync;</li>
 *   <li>ignored: 0-byte files, {@code *.tmp}, {@code *.log}, and {@code *.conflict*}/{@code *.rejected*} copies;</li>
 *   <li>only the owner (the datasite's email) writes or deletes in a datasite: anyone else's new or
 *       changed file is renamed to a {@code .rejected} copy (SyftBox's form: marker before the last
 *       extension, {@code name.rejected.ext}) and the server's version comes back; a deletion by
 *       someone else is undone at the next full sync;</li>
 *   <li>reads follow the nearest {@code syft.pub.yaml} above a file ({@code read:} lists, {@code "*"}
 *       for everyone); a datasite without one is private;</li>
 *   <li>downloads are written to a temp file and renamed into place; a file changed on both sides
 *       keeps the server's version and the local one becomes a {@code name.conflict.ext} copy.</li>
 * </ul>
 *
 * <p>Everything runs on one thread, so operations never interleave; {@link #fullSyncNow()} runs one
 * full sync of every client at once (deterministic tests).
 */
public final class SyftBoxSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyftBoxSimulator.class);
    /** SyftBox's full sync interval. */
    public static final Duration FULL_SYNC_PERIOD = Duration.ofSeconds(5);
    /** SyftBox's file watcher debounce for priority files. */
    public static final Duration PRIORITY_DEBOUNCE = Duration.ofMillis(50);
    /** SyftBox's largest priority upload. */
    public static final long MAX_PRIORITY_BYTES = 1024 * 1024;

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Map<String, Client> clients = new LinkedHashMap<>();
    private final Map<String, Remote> server = new HashMap<>();
    private final Duration period;
    private final Duration debounce;
    private final Random random;
    private final Object lock = new Object();
    private ScheduledExecutorService executor;

    private final AtomicLong fullSyncs = new AtomicLong();
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong priorityUploads = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong rejections = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong deletions = new AtomicLong();

    private record Remote(byte[] content, String etag) {}

    /** One client: its workspace, journal (path to etag synced last) and pending priority uploads. */
    private static final class Client {
        final String email;
        final Path datasites;
        final Map<String, String> journal = new HashMap<>();
        final Map<String, Long> pending = new HashMap<>();
        final Map<String, String> etagCache = new HashMap<>();

        Client(String email, Path datasites) {
            this.email = email;
            this.datasites = datasites;
        }
    }

    private SyftBoxSimulator(Map<String, Path> workspaces, Duration period, Duration debounce, Random random) {
        workspaces.forEach((email, dir) -> clients.put(ChannelLayout.requireEmail(email), new Client(email, dir)));
        this.period = period;
        this.debounce = debounce;
        this.random = random;
    }

    /**
     * A simulator for the clients {@code workspaces} (email to its local {@code datasites} folder),
     * with full syncs every {@code period} and priority uploads after {@code debounce}.
     */
    public static SyftBoxSimulator create(
            Map<String, Path> workspaces, Duration period, Duration debounce, Random random) {
        return new SyftBoxSimulator(workspaces, period, debounce, Objects.requireNonNull(random, "random"));
    }

    /** Creates the workspaces, runs one full sync of each client, then starts the timers. */
    public SyftBoxSimulator start() throws IOException {
        for (Client c : clients.values()) {
            Files.createDirectories(c.datasites.resolve(c.email));
        }
        fullSyncNow();
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "syftbox-simulator");
            t.setDaemon(true);
            return t;
        });
        long periodNanos = period.toNanos();
        for (Client c : clients.values()) {
            long phase = (long) (random.nextDouble() * periodNanos);
            executor.scheduleAtFixedRate(() -> guarded(() -> fullSync(c)), phase, periodNanos, TimeUnit.NANOSECONDS);
        }
        long tick = Math.max(1, Math.min(10, debounce.toMillis() / 2));
        executor.scheduleWithFixedDelay(() -> guarded(this::priorityTick), tick, tick, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One full sync of every client, now, in random client order. */
    public void fullSyncNow() throws IOException {
        List<Client> order = new ArrayList<>(clients.values());
        Collections.shuffle(order, random);
        for (Client c : order) {
            fullSync(c);
        }
    }

    /** Counters: full syncs, uploads, priority uploads, downloads, rejections, conflicts, deletions. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        m.put("fullSyncs", fullSyncs.get());
        m.put("uploads", uploads.get());
        m.put("priorityUploads", priorityUploads.get());
        m.put("downloads", downloads.get());
        m.put("rejections", rejections.get());
        m.put("conflicts", conflicts.get());
        m.put("deletions", deletions.get());
        return m;
    }

    /** The full sync period. */
    public Duration period() {
        return period;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface Step {
        void run() throws IOException;
    }

    private void guarded(Step s) {
        try {
            s.run();
        } catch (IOException | RuntimeException e) {
            LOG.warn("sync step failed (retried at the next one): {}", e.toString());
        }
    }

    // ---- rules -------------------------------------------------------------------------------

    /** Whether SyftBox's sync leaves a file of this name alone. */
    static boolean ignored(String name) {
        return name.endsWith(".tmp")
                || name.endsWith(".log")
                || name.contains(".conflict")
                || name.contains(".rejected")
                || name.equals("syftignore")
                || name.equals(".syftkeep")
                || name.equals(".DS_Store");
    }

    static boolean priority(String name) {
        return name.endsWith(".request") || name.endsWith(".response") || name.equals(ChannelLayout.PERMISSION_FILE);
    }

    private static String owner(String rel) {
        int s = rel.indexOf('/');
        return s < 0 ? rel : rel.substring(0, s);
    }

    /** The emails in the {@code <key>: [...]} lists of the nearest permission file above {@code rel} on the server. */
    private Set<String> granted(String rel, String key) {
        String dir = rel;
        while (dir.indexOf('/') > 0) {
            dir = dir.substring(0, dir.lastIndexOf('/'));
            Remote acl = server.get(dir + "/" + ChannelLayout.PERMISSION_FILE);
            if (acl != null) {
                Set<String> out = new LinkedHashSet<>();
                for (String line : new String(acl.content(), StandardCharsets.UTF_8).split("\n")) {
                    String t = line.trim();
                    if (t.startsWith(key + ":")) {
                        String list = t.substring(key.length() + 1).trim();
                        list = list.replace("[", "").replace("]", "");
                        for (String e : list.split(",")) {
                            String v = e.trim().replace("\"", "").replace("'", "");
                            if (!v.isEmpty()) {
                                out.add(v);
                            }
                        }
                    }
                }
                return out;
            }
        }
        return Set.of();
    }

    private boolean canRead(Client c, String rel) {
        if (owner(rel).equals(c.email)) {
            return true;
        }
        Set<String> r = granted(rel, "read");
        return r.contains(c.email) || r.contains("*");
    }

    private boolean canWrite(Client c, String rel) {
        if (owner(rel).equals(c.email)) {
            return true;
        }
        if (rel.endsWith("/" + ChannelLayout.PERMISSION_FILE)) {
            return false; // needs admin: never granted by Formix's files
        }
        Set<String> w = granted(rel, "write");
        return w.contains(c.email) || w.contains("*");
    }

    // ---- full sync -------------------------------------------------------------------------------

    private void fullSync(Client c) throws IOException {
        synchronized (lock) {
            Map<String, Path> local = scan(c, c.datasites);
            Set<String> paths = new LinkedHashSet<>(local.keySet());
            paths.addAll(server.keySet());
            paths.addAll(c.journal.keySet());
            List<String> order = new ArrayList<>(paths);
            Collections.shuffle(order, random);
            for (String rel : order) {
                reconcile(c, rel, local.get(rel));
            }
            fullSyncs.incrementAndGet();
        }
    }

    private void reconcile(Client c, String rel, Path file) throws IOException {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        if (ignored(name)) {
            return;
        }
        String l = file == null ? null : etag(c, rel, file);
        if (l == EMPTY) {
            return; // 0-byte files are not synced
        }
        Remote r = server.get(rel);
        String rem = r == null ? null : r.etag();
        String j = c.journal.get(rel);
        if (l == null) {
            if (rem == null) {
                c.journal.remove(rel);
            } else if (j != null && rem.equals(j)) {
                if (canWrite(c, rel)) {
                    server.remove(rel); // deleted here by its owner: deleted everywhere
                    c.journal.remove(rel);
                    deletions.incrementAndGet();
                } else {
                    download(c, rel, r); // someone else may not delete it: it comes back
                }
            } else {
                download(c, rel, r);
            }
            return;
        }
        boolean localChanged = !l.equals(j);
        boolean remoteChanged = !Objects.equals(rem, j);
        if (rem == null && j != null && !localChanged) {
            Files.deleteIfExists(file); // deleted by its owner elsewhere
            c.journal.remove(rel);
            c.etagCache.remove(rel);
            return;
        }
        if (l.equals(rem)) {
            c.journal.put(rel, l);
            return;
        }
        if (localChanged && !remoteChanged || rem == null) {
            upload(c, rel, file, l, r);
        } else if (!localChanged) {
            download(c, rel, r);
        } else {
            conflicts.incrementAndGet();
            mark(file, ".conflict", true);
            c.etagCache.remove(rel);
            download(c, rel, r);
        }
    }

    private void upload(Client c, String rel, Path file, String etag, Remote previous) throws IOException {
        if (!canWrite(c, rel)) {
            rejections.incrementAndGet();
            mark(file, ".rejected", false);
            c.etagCache.remove(rel);
            if (previous != null) {
                download(c, rel, previous);
            } else {
                c.journal.remove(rel);
            }
            return;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        String now = etagOf(content);
        if (!now.equals(etag)) {
            return; // changed while syncing: the next sync takes it
        }
        server.put(rel, new Remote(content, now));
        c.journal.put(rel, now);
        uploads.incrementAndGet();
    }

    private void download(Client c, String rel, Remote r) throws IOException {
        if (!canRead(c, rel)) {
            return;
        }
        Path target = c.datasites.resolve(rel);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling(".sim-" + Long.toHexString(random.nextLong()) + ".tmp");
        Files.write(temp, r.content());
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        c.journal.put(rel, r.etag());
        c.etagCache.remove(rel);
        downloads.incrementAndGet();
    }

    /** SyftBox's marker: {@code a.b.ext} becomes {@code a.b<marker>.ext}; an existing one is rotated or kept. */
    private static void mark(Path file, String marker, boolean rotate) throws IOException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String marked = dot <= 0 ? name + marker : name.substring(0, dot) + marker + name.substring(dot);
        Path target = file.resolveSibling(marked);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (!rotate) {
                Files.deleteIfExists(file); // a rejected copy exists already: the new offender is dropped
                return;
            }
            String ext = dot <= 0 ? "" : name.substring(dot);
            String stem = marked.substring(0, marked.length() - ext.length());
            Files.move(
                    target,
                    file.resolveSibling(stem + "." + LocalDateTime.now().format(STAMP) + ext),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(file, target);
    }

    // ---- priority ------------------------------------------------------------------------------

    private void priorityTick() throws IOException {
        synchronized (lock) {
            long now = System.nanoTime();
            for (Client c : clients.values()) {
                Path own = c.datasites.resolve(c.email);
                Map<String, Path> files = scan(c, own);
                List<String> due = new ArrayList<>();
                for (Map.Entry<String, Path> e : files.entrySet()) {
                    String rel = e.getKey();
                    String name = rel.substring(rel.lastIndexOf('/') + 1);
                    if (!priority(name) || ignored(name)) {
                        continue;
                    }
                    String l = etag(c, rel, e.getValue());
                    if (l == null
                            || l == EMPTY
                            || l.equals(c.journal.get(rel))
                            || size(e.getValue()) > MAX_PRIORITY_BYTES) {
                        c.pending.remove(rel);
                        continue;
                    }
                    Long at = c.pending.get(rel);
                    if (at == null) {
                        c.pending.put(rel, now + debounce.toNanos());
                    } else if (now - at >= 0) {
                        due.add(rel);
                    }
                }
                c.pending.keySet().retainAll(files.keySet());
                Collections.shuffle(due, random);
                for (String rel : due) {
                    c.pending.remove(rel);
                    Path file = files.get(rel);
                    String l = etag(c, rel, file);
                    if (l == null || l == EMPTY) {
                        continue;
                    }
                    upload(c, rel, file, l, server.get(rel));
                    Remote r = server.get(rel);
                    if (r == null || !r.etag().equals(l)) {
                        continue;
                    }
                    priorityUploads.incrementAndGet();
                    for (Client other : clients.values()) {
                        if (other != c && canRead(other, rel)) {
                            String j = other.journal.get(rel);
                            Path mirror = other.datasites.resolve(rel);
                            String ol = Files.isRegularFile(mirror, LinkOption.NOFOLLOW_LINKS)
                                    ? etag(other, rel, mirror)
                                    : null;
                            if (ol == null || ol.equals(j) || ol == EMPTY) {
                                download(other, rel, r);
                            } // a local change there: its full sync reconciles
                        }
                    }
                }
            }
        }
    }

    // ---- files ---------------------------------------------------------------------------------

    /** Marks a 0-byte file. */
    private static final String EMPTY = new String("empty");

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Regular files under {@code top} (links not followed), by path relative to the client's datasites. */
    private static Map<String, Path> scan(Client c, Path top) throws IOException {
        Map<String, Path> out = new HashMap<>();
        if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                if (a.isRegularFile()) {
                    out.put(c.datasites.relativize(file).toString().replace('\\', '/'), file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone or unreadable: the next sync looks again
            }
        });
        return out;
    }

    /** The file's etag (SHA-256 of its content), {@link #EMPTY} for 0 bytes, null if it is gone. */
    private static String etag(Client c, String rel, Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile()) {
            return null;
        }
        if (a.size() == 0) {
            return EMPTY;
        }
        String key = a.size() + ":" + a.lastModifiedTime().toMillis() + ":" + a.fileKey();
        String cached = c.etagCache.get(rel);
        if (cached != null && cached.startsWith(key + "=")) {
            return cached.substring(key.length() + 1);
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (content.length == 0) {
            return EMPTY;
        }
        String etag = etagOf(content);
        c.etagCache.put(rel, key + "=" + etag);
        return etag;
    }

    private static String etagOf(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the simulator until killed: {@code [--period-ms N] [--debounce-ms N] [--seed N] email=dir …},
     * each dir a client's {@code datasites} folder.
     */
    public static void main(String[] args) throws Exception {
        Duration p = FULL_SYNC_PERIOD;
        Duration d = PRIORITY_DEBOUNCE;
        long seed = System.nanoTime();
        Map<String, Path> ws = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--period-ms" -> p = Duration.ofMillis(Long.parseLong(args[++i]));
                case "--debounce-ms" -> d = Duration.ofMillis(Long.parseLong(args[++i]));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq < 1) {
                        System.err.println("syftbox-sim: expected email=dir, got " + InboundChannel.oneLine(args[i]));
                        System.exit(2);
                    }
                    ws.put(args[i].substring(0, eq), Path.of(args[i].substring(eq + 1)));
                }
            }
        }
        SyftBoxSimulator sim;
        try {
            sim = create(ws, p, d, new Random(seed)).start();
        } catch (IllegalArgumentException e) {
            System.err.println("syftbox-sim: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("syftbox-sim: " + ws.size() + " clients, full sync every " + p.toMillis()
                + " ms, priority debounce " + d.toMillis() + " ms");
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
        Thread.currentThread().join();
    }
}
