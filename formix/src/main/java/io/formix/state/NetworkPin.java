package io.formix.state;

/**
 * The network this home belongs to, as pinned in {@code network.db} by {@code network create} or
 * {@code network join}: the network id, the admin key's fingerprint (received out of band), the
 * highest roster version accepted so far (-1: none yet; a lower one is refused from then on) and
 * this home's uid tag ({@code null} for a single-machine network made by {@code network up}, whose
 * nodes keep the names {@code heavy-N}, {@code light-NNNN}).
 */
public record NetworkPin(String networkId, String adminFingerprint, long rosterVersion, String tag) {}
