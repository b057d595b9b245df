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
                        e.receivedAt(),
                        e.asked()));
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
    public boolean receiveQuery(
            String id,
            String prompt,
            String schema,
            String scheme,
            long deadline,
            List<PartyId> heavy,
            Asked asked,
            State initial,
            String reason,
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
                                reason,
                                now,
                                asked))
                == null;
    }

    @Override
    public boolean reviewed(String id, String hash) {
        Entry e = rows.get(id);
        if (e == null || e.asked() == null || e.state() != State.PENDING) {
            return false;
        }
        rows.put(id, e.with(e.state(), null, null, null, e.asked().withReviewed(hash)));
        return true;
    }

    @Override
    public boolean approveQuery(String id, String hash, long[] cells) {
        Entry e = rows.get(id);
        if (e == null || e.asked() == null || e.state() != State.PENDING) {
            return false;
        }
        Asked a = e.asked().withApproved(hash);
        rows.put(id, e.with(State.APPROVED, null, null, null, cells == null ? a : a.withCells(cells.clone())));
        return true;
    }

    @Override
    public boolean answerCells(String id, long[] cells, List<byte[]> shares, long now) {
        Entry e = rows.get(id);
        if (e == null || e.asked() == null || e.state() != State.APPROVED) {
            return false;
        }
        rows.put(id, e.with(State.ANSWERED, null, copy(shares), null, e.asked().withCells(cells.clone())));
        return true;
    }

    @Override
    public boolean refuse(String id, String reason, String detail) {
        Entry e = rows.get(id);
        if (e == null || (e.state() != State.PENDING && e.state() != State.APPROVED)) {
            return false;
        }
        rows.put(
                id,
                e.with(
                        State.REFUSED,
                        null,
                        null,
                        reason,
                        e.asked() == null ? null : e.asked().withDetail(detail)));
        return true;
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
