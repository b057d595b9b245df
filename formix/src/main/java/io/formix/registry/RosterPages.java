package io.formix.registry;

import io.formix.state.FormixHome;
import io.formix.transport.PartyId;
import io.formix.transport.seal.DocumentRejectedException;
import io.formix.transport.seal.IdentityKey;
import io.formix.transport.seal.NetworkDescriptor;
import io.formix.transport.seal.NetworkId;
import io.formix.transport.seal.NodeDescriptor;
import io.formix.transport.seal.Roster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network's roster as one or more signed {@link Roster} pages: {@code roster.json},
 * {@code roster.1.json}, … of at most {@value #PER_PAGE} entries each, because one signed
 * document holds at most 64 KiB (about 650 entries). Every page of one version carries the same
 * roster version number <em>stamp</em> = {@code version × 1000 + pages}, so a reader knows how
 * many pages make the roster and accepts it only when it has all of them at that stamp: a page
 * dropped, or one left from another version, refuses the whole roster (the registry stays as it
 * was) instead of shrinking it. The order of the network is page 0's entries, then page 1's, ….
 * Immutable.
 */
public final class RosterPages {

    /**
     * Entries per page: at most about 47 KiB signed even with 63-character uids (an entry is at
     * most 140 bytes of JSON, 187 in base64), inside the 64 KiB a document may hold.
     */
    static final int PER_PAGE = 250;

    static final long RADIX = 1000;
    static final int MAX_PAGES = (int) RADIX - 1;

    private final NetworkId network;
    private final long stamp;
    private final List<Roster> pages;
    private final List<Roster.Entry> entries;
    private final Map<PartyId, Integer> pageOf = new HashMap<>();
    private final Map<PartyId, Roster.Entry> byUid = new HashMap<>();

    private RosterPages(NetworkId network, long stamp, List<Roster> pages) {
        this.network = network;
        this.stamp = stamp;
        this.pages = List.copyOf(pages);
        List<Roster.Entry> all = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            for (Roster.Entry e : pages.get(i).entries()) {
                byUid.put(e.uid(), e);
                if (pageOf.put(e.uid(), i) != null) {
                    throw new IllegalArgumentException("uid " + e.uid() + " is listed twice");
                }
                all.add(e);
            }
        }
        this.entries = List.copyOf(all);
    }

    /** The roster of {@code entries} at logical {@code version}, cut into pages. */
    public static RosterPages of(NetworkId network, long version, List<Roster.Entry> entries) {
        int n = Math.max(1, (entries.size() + PER_PAGE - 1) / PER_PAGE);
        if (n > MAX_PAGES) {
            throw new IllegalArgumentException("a roster holds at most " + (long) MAX_PAGES * PER_PAGE + " nodes");
        }
        long stamp = version * RADIX + n;
        List<Roster> pages = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pages.add(Roster.of(
                    network, stamp, entries.subList(i * PER_PAGE, Math.min(entries.size(), (i + 1) * PER_PAGE))));
        }
        return new RosterPages(network, stamp, pages);
    }

    static Path file(FormixHome home, int page) {
        return home.sharedDir().resolve(page == 0 ? "roster.json" : "roster." + page + ".json");
    }

    /**
     * Reads and verifies every page. Empty if the folder holds no roster yet.
     *
     * @param lastStamp the highest stamp accepted before (-1: none); a lower one is refused
     * @throws RegistryException naming the page and the reason when any page is refused or missing
     */
    static Optional<RosterPages> read(FormixHome home, NetworkDescriptor nd, long lastStamp) throws RegistryException {
        Optional<Roster> first = page(home, nd, 0, lastStamp);
        if (first.isEmpty()) {
            return Optional.empty();
        }
        long stamp = first.get().version();
        int n = (int) (stamp % RADIX);
        if (n < 1) {
            throw new RegistryException(file(home, 0) + " refused: roster version " + stamp + " names no page");
        }
        List<Roster> pages = new ArrayList<>(List.of(first.get()));
        for (int i = 1; i < n; i++) {
            Roster p = page(home, nd, i, stamp)
                    .orElseThrow(() -> new RegistryException("roster version " + stamp + " has " + n + " pages and "
                            + "a page is missing — waiting for the sync"));
            if (p.version() != stamp) {
                throw new RegistryException(file(home, pages.size()) + " refused: it is of roster version "
                        + p.version() + ", page 0 of " + stamp + " — waiting for the sync");
            }
            pages.add(p);
        }
        try {
            return Optional.of(new RosterPages(nd.networkId(), stamp, pages));
        } catch (IllegalArgumentException e) {
            throw new RegistryException("roster version " + stamp + " refused: " + e.getMessage());
        }
    }

    private static Optional<Roster> page(FormixHome home, NetworkDescriptor nd, int i, long lastStamp)
            throws RegistryException {
        Path f = file(home, i);
        try {
            Optional<byte[]> doc = SharedFiles.read(f);
            return doc.isEmpty()
                    ? Optional.empty()
                    : Optional.of(VerifiedDocuments.rosterPage(doc.get(), nd, i, lastStamp));
        } catch (DocumentRejectedException | IOException e) {
            throw new RegistryException(f + " refused: " + e.getMessage());
        }
    }

    /** Signs every page with the admin key and publishes them, the extra pages of a longer old roster removed. */
    void publish(FormixHome home, IdentityKey admin) throws IOException {
        for (int i = pages.size() - 1; i >= 0; i--) {
            SharedFiles.write(file(home, i), pages.get(i).sign(admin));
        }
        for (int i = pages.size(); i <= MAX_PAGES && Files.exists(file(home, i)); i++) {
            Files.delete(file(home, i));
        }
    }

    /** The logical version of a stamp (see the class comment); -1 for none. */
    public static long versionOf(long stamp) {
        return stamp < 0 ? -1 : stamp / RADIX;
    }

    /** The logical version: 0 for the empty roster of a new network, one more at each change. */
    public long version() {
        return stamp / RADIX;
    }

    /** The version number the pages carry (what a machine pins so it never goes back). */
    public long stamp() {
        return stamp;
    }

    public NetworkId network() {
        return network;
    }

    /** The admitted nodes, in the network's order. */
    public List<Roster.Entry> entries() {
        return entries;
    }

    public Optional<Roster.Entry> entry(PartyId uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    /**
     * Verifies the descriptor published for {@code uid} against the page that lists it (empty if
     * the roster does not list {@code uid}, or the document describes another node).
     */
    Optional<NodeDescriptor> verify(byte[] doc, NetworkDescriptor nd, PartyId uid, long lastSeq)
            throws DocumentRejectedException {
        Integer p = pageOf.get(uid);
        Roster page = pages.get(p == null ? 0 : p);
        return VerifiedDocuments.member(doc, nd, page, entry(uid), uid, lastSeq);
    }

    /**
     * What a descriptor found in {@code uid}'s file claims, if it is validly self-signed for this
     * network (whether or not it is admitted).
     */
    static VerifiedDocuments.Claim selfSigned(byte[] doc, NetworkDescriptor nd, RosterPages roster, PartyId uid)
            throws DocumentRejectedException, IOException {
        return VerifiedDocuments.selfSigned(doc, nd, roster.pages.get(0), uid);
    }
}
