package io.formix.state;

import io.formix.transport.PartyId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@link HeavyStore} in memory, with the same idempotence and conditions as the SQLite store; a
 * transaction that throws leaves nothing behind. For tests of the protocol core. Not thread-safe.
 */
final class InMemoryHeavyStore implements HeavyStore {

    private record Row(Entry entry, long createdAt) {}

    /** Everything, so a transaction can be undone by restoring a copy. */
    private static final class Data {
        final Map<String, Row> computations = new LinkedHashMap<>();
        final Map<String, Map<PartyId, byte[]>> shares = new HashMap<>();
        final Map<String, Set<PartyId>> declines = new HashMap<>();
        final Map<String, Set<PartyId>> late = new HashMap<>();
        final Map<String, Map<PartyId, Report>> reports = new HashMap<>();
        final Map<String, Map<PartyId, String>> partials = new HashMap<>();
        final Map<String, Map<PartyId, String>> undelivered = new HashMap<>();

        Data copy() {
            Data d = new Data();
            d.computations.putAll(computations);
            shares.forEach((k, v) -> d.shares.put(k, new TreeMap<>(v)));
            declines.forEach((k, v) -> d.declines.put(k, new TreeSet<>(v)));
            late.forEach((k, v) -> d.late.put(k, new TreeSet<>(v)));
            reports.forEach((k, v) -> d.reports.put(k, new TreeMap<>(v)));
            partials.forEach((k, v) -> d.partials.put(k, new TreeMap<>(v)));
            undelivered.forEach((k, v) -> d.undelivered.put(k, new TreeMap<>(v)));
            return d;
        }
    }

    private Data data = new Data();
    private int depth;

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        Data before = depth == 0 ? data.copy() : null;
        depth++;
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            if (before != null) {
                data = before;
            }
            throw e;
        } finally {
            depth--;
        }
    }

    @Override
    public boolean create(Entry e, long now) {
        if (data.computations.containsKey(e.id())) {
            return false;
        }
        data.computations.put(e.id(), new Row(e, now));
        return true;
    }

    @Override
    public Optional<Entry> entry(String id) {
        return Optional.ofNullable(data.computations.get(id)).map(Row::entry);
    }

    @Override
    public List<Entry> open() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : all()) {
            if (!e.state().isFinal()) {
                out.add(e);
            }
        }
        return out;
    }

    @Override
    public List<Entry> all() {
        List<Row> rows = new ArrayList<>(data.computations.values());
        rows.sort(Comparator.comparingLong(Row::createdAt));
        List<Entry> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.entry()));
        return out;
    }

    private boolean update(
            String id, java.util.function.Predicate<Entry> when, java.util.function.UnaryOperator<Entry> change) {
        Row r = data.computations.get(id);
        if (r == null || !when.test(r.entry())) {
            return false;
        }
        data.computations.put(id, new Row(change.apply(r.entry()), r.createdAt()));
        return true;
    }

    private static Entry with(Entry e, State s, Set<PartyId> finalSet, String reason) {
        return e.with(s, finalSet, reason);
    }

    @Override
    public boolean transition(String id, State from, State to, long now) {
        return update(id, e -> e.state() == from, e -> with(e, to, e.finalSet(), e.reason()));
    }

    @Override
    public boolean fixFinalSet(String id, Set<PartyId> finalSet) {
        return update(
                id,
                e -> e.state() == State.CLOSED,
                e -> with(e, State.AGGREGATING, finalSet, e.reason())); // Entry keeps its own copy
    }

    @Override
    public boolean finish(String id, State end, String reason) {
        return update(id, e -> !e.state().isFinal(), e -> with(e, end, e.finalSet(), reason));
    }

    private boolean collecting(String id) {
        Row r = data.computations.get(id);
        return r == null || r.entry().state().isCollecting(); // not announced yet: keep it, it may count
    }

    @Override
    public Intake addShare(String id, PartyId light, byte[] share, long now) {
        if (!collecting(id)) {
            data.late.computeIfAbsent(id, k -> new TreeSet<>()).add(light);
            return Intake.LATE;
        }
        Map<PartyId, byte[]> m = data.shares.computeIfAbsent(id, k -> new TreeMap<>());
        return m.putIfAbsent(light, share.clone()) == null ? Intake.ACCEPTED : Intake.DUPLICATE;
    }

    @Override
    public Intake addDecline(String id, PartyId light) {
        if (!collecting(id)) {
            return Intake.LATE;
        }
        return data.declines.computeIfAbsent(id, k -> new TreeSet<>()).add(light) ? Intake.ACCEPTED : Intake.DUPLICATE;
    }

    @Override
    public void forEachShare(String id, java.util.function.BiConsumer<PartyId, byte[]> each) {
        new TreeMap<>(data.shares.getOrDefault(id, Map.of())).forEach((k, v) -> each.accept(k, v.clone()));
    }

    @Override
    public Set<PartyId> shareHolders(String id) {
        return new TreeSet<>(data.shares.getOrDefault(id, Map.of()).keySet());
    }

    @Override
    public Set<PartyId> decliners(String id) {
        return new TreeSet<>(data.declines.getOrDefault(id, Set.of()));
    }

    @Override
    public int lateCount(String id) {
        return data.late.getOrDefault(id, Set.of()).size();
    }

    @Override
    public boolean addReport(String id, PartyId heavy, Set<PartyId> lights, int late) {
        return data.reports
                        .computeIfAbsent(id, k -> new TreeMap<>())
                        .putIfAbsent(heavy, new Report(heavy, new TreeSet<>(lights), late))
                == null;
    }

    @Override
    public Map<PartyId, Report> reports(String id) {
        return new TreeMap<>(data.reports.getOrDefault(id, Map.of()));
    }

    @Override
    public boolean addPartial(String id, PartyId heavy, String encoded) {
        return data.partials.computeIfAbsent(id, k -> new TreeMap<>()).putIfAbsent(heavy, encoded) == null;
    }

    @Override
    public Map<PartyId, String> partials(String id) {
        return new TreeMap<>(data.partials.getOrDefault(id, Map.of()));
    }

    @Override
    public boolean addUndelivered(String id, PartyId light, String reason) {
        return data.undelivered.computeIfAbsent(id, k -> new TreeMap<>()).putIfAbsent(light, reason) == null;
    }

    @Override
    public Map<String, Integer> undelivered(String id) {
        Map<String, Integer> out = new TreeMap<>();
        data.undelivered.getOrDefault(id, Map.of()).values().forEach(r -> out.merge(r, 1, Integer::sum));
        return out;
    }

    @Override
    public void close() {}
}
