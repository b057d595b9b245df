package io.formix.proxy;

import io.formix.transport.PartyId;
import io.formix.transport.Transport;
import io.formix.transport.file.ChannelLayout;
import java.io.IOException;
import java.nio.file.Path;

/** Opens the file side of a proxy: the seam between the CLI and the file transport. */
@FunctionalInterface
public interface TransportOpener {

    /**
     * Opens the endpoint of {@code self} on the channels under {@code dataDir}, keeping the
     * transport's host-local bookkeeping (cursors, counters, quarantine, lock) in {@code stateDir}.
     *
     * @throws io.formix.transport.ChannelLockedException if another process already speaks for
     *     {@code self} in {@code dataDir}
     * @throws IOException if the folder cannot be used
     */
    Transport open(Path dataDir, PartyId self, int maxMessageBytes, boolean durable, Path stateDir) throws IOException;

    /**
     * Opens the endpoint with the channel layout {@code --layout} chose. The default handles only
     * the default layout (openers written before layouts existed, e.g. in tests).
     *
     * @throws IOException if this opener cannot open that layout
     */
    default Transport open(
            Path dataDir, PartyId self, int maxMessageBytes, boolean durable, Path stateDir, ChannelLayout layout)
            throws IOException {
        if (layout.isSyftbox()) {
            throw new IOException("this opener supports only the default channel layout");
        }
        return open(dataDir, self, maxMessageBytes, durable, stateDir);
    }
}
