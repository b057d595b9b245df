package io.formix.state;

import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link LightStore} in memory, with the SQLite store's conditions; for tests of the protocol core. */
final class InMemoryLightStore implements LightStore {

    private final Map<String, Entry> rows = new LinkedHashMap<>();

    @Override
    public boolean receive(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            State initial,
            long now) {
        return rows.putIfAbsent(
                        id,
                        new Entry(
                                id,
                                prompt,
                                schema,
                                scheme,
                                deadline,
                                List.copyOf(heavy),
                                initial,
                                null,
                                List.of(),
                                null,
                                now))
                == null;
    }

    @Override
    public boolean receiveAnswered(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            int answer,
            List<byte[]> shares,
            long now) {
        return rows.putIfAbsent(
                        id,
                        new Entry(
                                id,
                                prompt,
                                schema,
                                scheme,
                                deadline,
                                List.copyOf(heavy),
                                State.ANSWERED,
                                answer,
                                copy(shares),
                                null,
                                now))
                == null;
    }

    private boolean move(
            String id,
            Set<State> from,
            State to,
            Integer answer,
            List<byte[]> shares,
            String reason,
            boolean setReason) {
        Entry e = rows.get(id);
        if (e == null || !from.contains(e.state())) {
            return false;
        }
        rows.put(
                id,
                new Entry(
                        e.id(),
                        e.prompt(),
                        e.schema(),
                        e.scheme(),
                        e.deadline(),
                        e.heavy(),
                        to,
                        answer == null ? e.answer() : answer,
                        shares == null ? e.encodedShares() : copy(shares),
                        setReason ? reason : e.reason(),
                        e.receivedAt()));
        return true;
    }

    @Override
    public boolean decide(String id, boolean approve, String reason) {
        return move(id, Set.of(State.PENDING), approve ? State.APPROVED : State.REFUSED, null, null, reason, true);
    }

    @Override
    public boolean answer(String id, int answer, List<byte[]> shares, long now) {
        return move(id, Set.of(State.APPROVED), State.ANSWERED, answer, shares, null, false);
    }

    @Override
    public boolean refuse(String id, String reason) {
        return move(id, Set.of(State.PENDING, State.APPROVED), State.REFUSED, null, null, reason, true);
    }

    @Override
    public boolean markDeclined(String id) {
        return move(id, Set.of(State.REFUSED), State.DECLINED, null, null, null, false);
    }

    @Override
    public boolean markSent(String id) {
        return move(id, Set.of(State.ANSWERED), State.SENT, null, null, null, false);
    }

    @Override
    public Optional<Entry> entry(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public List<Entry> inState(State state) {
        List<Entry> out = new ArrayList<>();
        all().stream().filter(e -> e.state() == state).forEach(out::add);
        return out;
    }

    @Override
    public List<Entry> all() {
        List<Entry> out = new ArrayList<>(rows.values());
        out.sort(java.util.Comparator.comparingLong(Entry::receivedAt));
        return out;
    }

    private static List<byte[]> copy(List<byte[]> shares) {
        List<byte[]> out = new ArrayList<>();
        shares.forEach(s -> out.add(s.clone()));
        return List.copyOf(out);
    }

    @Override
    public void close() {}
}
