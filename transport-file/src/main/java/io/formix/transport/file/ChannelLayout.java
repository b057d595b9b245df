package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a {@link FileTransport}'s channel folders are and what their files are called.
 *
 * <ul>
 *   <li>{@link #flat()}, the default: every channel {@code <from>_to_<to>/} in one shared root, files
 *       {@code n.msg} and an empty {@code n.ready}, consumed files deleted by the receiver (wire
 *       format v1, byte-compatible with sbproxy; docs/wire-format.md).</li>
 *   <li>{@link #syftbox}: SyftBox's rules (docs/syftbox.md). Each party writes only inside its own
 *       datasite {@code <datasites>/<email>/app_data/formix/<from>_to_<to>/}, with a
 *       {@code syft.pub.yaml} granting read to the one receiver; files {@code n.msg.request} and a
 *       non-empty marker {@code n.ready.request} (size and SHA-256 of the message file), both under
 *       names SyftBox syncs at once; the receiver never touches the sender's files but records
 *       what it consumed in {@code <datasites>/<self email>/app_data/formix/acks/<from>_to_<self>/ack.request},
 *       and the sender deletes what was acknowledged.</li>
 * </ul>
 */
public final class ChannelLayout {

    /** The folder inside a datasite holding Formix's channels. */
    static final String APP_DIR = "app_data/formix";
    /** SyftBox's permission file name. */
    static final String PERMISSION_FILE = "syft.pub.yaml";
    /** The receiver's acknowledgement file, in its own datasite's folder of the channel. */
    static final String ACK_FILE = "ack.request";
    /** The folder of a datasite's acknowledgement folders (one per inbound channel). */
    static final String ACKS_DIR = "acks";
    /** An email usable as a datasite folder name: no separators, no dot-names, bounded. */
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9_%+-]+(\\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");

    private static final ChannelLayout FLAT = new ChannelLayout(null, null, Map.of());

    private final Path datasites;
    private final String selfEmail;
    private final Map<PartyId, String> emails;
    final ChannelNames.Names names;

    private ChannelLayout(Path datasites, String selfEmail, Map<PartyId, String> emails) {
        this.datasites = datasites;
        this.selfEmail = selfEmail;
        this.emails = emails;
        this.names = datasites == null ? ChannelNames.Names.FLAT : ChannelNames.Names.SYFTBOX;
    }

    /** The default layout: all channel folders in the transport's root (wire format v1). */
    public static ChannelLayout flat() {
        return FLAT;
    }

    /**
     * The SyftBox layout over the local workspace folder {@code datasites} (SyftBox's
     * {@code ~/SyftBox/datasites}), for the party whose datasite is {@code selfEmail}.
     * {@code partyEmails} maps every party of the network (this one included) to its datasite.
     *
     * @throws IllegalArgumentException if an email is not a plain address usable as a folder name
     *     ({@code local@domain}, letters, digits, {@code . _ % + -}, at most 254 characters, no
     *     leading, trailing or double dot), or if {@code selfEmail} is not in the table. Several
     *     parties may share one datasite (the nodes one host runs).
     */
    public static ChannelLayout syftbox(Path datasites, String selfEmail, Map<PartyId, String> partyEmails) {
        Objects.requireNonNull(datasites, "datasites");
        requireEmail(selfEmail);
        Map<PartyId, String> copy = new LinkedHashMap<>();
        for (Map.Entry<PartyId, String> e : partyEmails.entrySet()) {
            copy.put(Objects.requireNonNull(e.getKey(), "party"), requireEmail(e.getValue()));
        }
        if (!copy.containsValue(selfEmail)) {
            throw new IllegalArgumentException(
                    "this party's email " + selfEmail + " is not in the party table " + copy.values());
        }
        return new ChannelLayout(datasites, selfEmail, Collections.unmodifiableMap(copy));
    }

    /**
     * {@code email} if it is a plain address usable as one path segment.
     *
     * @throws IllegalArgumentException naming the reason otherwise
     */
    public static String requireEmail(String email) {
        Objects.requireNonNull(email, "email");
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw new IllegalArgumentException("not a usable datasite email: \""
                    + InboundChannel.oneLine(email.length() > 80 ? email.substring(0, 80) + "…" : email)
                    + "\" (expected local@domain with letters, digits and . _ % + -)");
        }
        return email;
    }

    /** Whether this is the SyftBox layout. */
    public boolean isSyftbox() {
        return datasites != null;
    }

    /** The datasites folder of the SyftBox layout, or null. */
    public Path datasites() {
        return datasites;
    }

    /** This party's email in the SyftBox layout, or null. */
    public String selfEmail() {
        return selfEmail;
    }

    /** The party table of the SyftBox layout (empty for the flat one). */
    public Map<PartyId, String> partyEmails() {
        return emails;
    }

    /** The folder inside {@code email}'s datasite holding its channels. */
    Path appDir(String email) {
        return datasites.resolve(email).resolve(APP_DIR);
    }

    /** The email of {@code party}, or an exception naming it. */
    String emailOf(PartyId party) {
        String e = emails.get(party);
        if (e == null) {
            throw new IllegalArgumentException(
                    "party " + party + " has no datasite in the party table " + emails.keySet());
        }
        return e;
    }

    /** Where {@code self} writes the channel to {@code to}. */
    Path outboundDir(Path root, PartyId self, PartyId to) {
        if (!isSyftbox()) {
            return root.resolve(ChannelNames.channel(self, to));
        }
        emailOf(to);
        return appDir(selfEmail).resolve(ChannelNames.channel(self, to));
    }

    /** Where {@code self} reads the channel from {@code from}. */
    Path inboundDir(Path root, PartyId from, PartyId self) {
        if (!isSyftbox()) {
            return root.resolve(ChannelNames.channel(from, self));
        }
        return appDir(emailOf(from)).resolve(ChannelNames.channel(from, self));
    }

    /**
     * SyftBox layout: the receiver's acknowledgement file of channel {@code from -> to}, in the
     * receiver's datasite: {@code app_data/formix/acks/<from>_to_<to>/ack.request}.
     */
    Path ackFile(PartyId from, PartyId to) {
        return appDir(emailOf(to))
                .resolve(ACKS_DIR)
                .resolve(ChannelNames.channel(from, to))
                .resolve(ACK_FILE);
    }

    /** The content of the permission file of a channel folder read by {@code readerEmail} alone. */
    static String permissionFor(String readerEmail) {
        return "# written by Formix: only the receiver of this channel may read it\n"
                + "terminal: true\n"
                + "rules:\n"
                + "  - pattern: \"**\"\n"
                + "    access:\n"
                + "      read: [\"" + readerEmail + "\"]\n"
                + "      write: []\n"
                + "      admin: []\n";
    }

    @Override
    public String toString() {
        return isSyftbox() ? "syftbox(" + datasites + ", " + selfEmail + ", " + emails + ")" : "flat";
    }
}
