package io.formix.transport.seal;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a receiver remembers of one sender: the last channel counter it accepted and the most
 * recent message ids with the transport sequence number each was accepted at, bounded (oldest
 * forgotten first). Guarded by its own monitor.
 */
final class ReplayState {

    private record Mid(long hi, long lo) {
        static Mid of(byte[] b) {
            ByteBuffer bb = ByteBuffer.wrap(b);
            return new Mid(bb.getLong(), bb.getLong());
        }
    }

    private final Map<Mid, Long> seen;
    private long lastSeq = -1;

    ReplayState(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Mid, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    boolean seen(byte[] mid) {
        return seen.containsKey(Mid.of(mid));
    }

    /** The transport sequence number {@code mid} was accepted at; only if {@link #seen}. */
    long acceptedAt(byte[] mid) {
        return seen.get(Mid.of(mid));
    }

    long lastSeq() {
        return lastSeq;
    }

    void accept(byte[] mid, long seq, long transportSequence) {
        seen.put(Mid.of(mid), transportSequence);
        lastSeq = seq;
    }
}
