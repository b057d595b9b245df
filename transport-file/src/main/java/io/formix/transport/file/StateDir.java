package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The party's own host-local bookkeeping folder, outside what other parties write: receiver
 * cursors ({@code <from>_to_<self>.cursor}), sender records ({@code <self>_to_<to>.next}), the
 * quarantine ({@code quarantine/<channel>/}), the party lock ({@code party.lock}) and the empty file its
 * markers are hard links to ({@code marker.template}). Flat, two
 * small files per channel at most. Neither the folder nor its quarantine may be a symbolic link.
 */
final class StateDir {

    /** Folder under the root holding each party's state when no state folder is configured. */
    static final String DEFAULT_PARENT = ".formix-local";

    static final String QUARANTINE = "quarantine";
    static final String LOCK = "party.lock";
    static final String CURSOR = ".cursor";
    static final String NEXT = ".next";
    static final String MARKER_TEMPLATE = "marker.template";

    final Path dir;
    private final Path quarantine;

    private StateDir(Path dir) {
        this.dir = dir;
        this.quarantine = dir.resolve(QUARANTINE);
    }

    /** {@code <root>/.formix-local/<self>}: the state folder when none is configured. */
    static Path defaultFor(Path root, PartyId self) {
        return root.resolve(DEFAULT_PARENT).resolve(self.value());
    }

    /**
     * Creates (if needed) and checks the state folder: {@code configured}, or the default under
     * {@code root} (whose {@code .formix-local} must then be a real folder too).
     *
     * @throws IOException with a clear message if the folder or its quarantine is a symbolic link
     */
    static StateDir open(Path root, Path configured, PartyId self) throws IOException {
        Path dir;
        if (configured == null) {
            SafeFiles.requireRealDirectory(root.resolve(DEFAULT_PARENT), "state folder parent");
            dir = defaultFor(root, self);
        } else {
            dir = configured;
            Path parent = dir.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        SafeFiles.requireRealDirectory(dir, "state folder");
        StateDir s = new StateDir(dir);
        SafeFiles.requireRealDirectory(s.quarantine, "quarantine folder");
        return s;
    }

    /** The receiver's cursor of channel {@code <from>_to_<self>}. */
    Path cursor(PartyId from, PartyId self) {
        return dir.resolve(ChannelNames.channel(from, self) + CURSOR);
    }

    /** The sender's record (next number) of channel {@code <self>_to_<to>}. */
    Path next(PartyId self, PartyId to) {
        return dir.resolve(ChannelNames.channel(self, to) + NEXT);
    }

    /** Where the corrupt entries of channel folder {@code channel} are moved; created and checked. */
    Path quarantine(String channel) throws IOException {
        SafeFiles.requireRealDirectory(quarantine, "quarantine folder");
        Path q = quarantine.resolve(channel);
        SafeFiles.requireRealDirectory(q, "quarantine folder");
        return q;
    }

    /** The empty file this party's empty markers are hard links to ({@link LinkedMarkers}). */
    Path markerTemplate() {
        return dir.resolve(MARKER_TEMPLATE);
    }

    /** The party lock file. */
    Path lockFile() {
        return dir.resolve(LOCK);
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
