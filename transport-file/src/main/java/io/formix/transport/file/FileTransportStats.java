package io.formix.transport.file;

/**
 * Counters of one {@link FileTransport}.
 *
 * @param ignoredFiles names in inbound channel folders that are not messages ({@code .}-temp files,
 *     {@code *.sync-conflict-*} copies, other widths, case or shapes), as of the latest listing of
 *     each folder: when it is discovered, after an event names a new such file, and at every
 *     full rescan ({@value FileTransport#FULL_RESCAN_EVERY} rescan intervals); never parsed,
 *     never deleted
 * @param quarantined corrupt messages moved aside since open
 * @param delivered messages returned by {@code receive}/{@code receiveAny} since open
 * @param sent messages published since open
 * @param rejected messages refused by the layer above ({@link FileTransport#reject}) since open;
 *     they are counted in {@code delivered} too
 */
public record FileTransportStats(long ignoredFiles, long quarantined, long delivered, long sent, long rejected) {}
