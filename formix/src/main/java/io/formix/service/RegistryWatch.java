package io.formix.service;

import io.formix.registry.FolderStamp;
import io.formix.registry.RegistryException;
import io.formix.registry.RegistryKeys;
import io.formix.registry.RegistrySync;
import io.formix.state.FormixHome;
import io.formix.state.NetworkDb;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/**
 * One registry sync of a host: {@code network.db} and the key directory brought up to date with
 * the folder. Refused documents are printed (to the host's log) when they change, not every time.
 */
final class RegistryWatch implements Runnable {
    /**
     * A sync is skipped while the folder's stamp stays the same ({@link FolderStamp}), but made at
     * least this often (ms): it also catches a descriptor rewritten in place, which the stamp does
     * not see. A sync that finds the same bytes as the last one verifies no signature.
     */
    private static final long FULL_EVERY = 30_000;

    private final FormixHome home;
    private final NetworkDb net;
    private final RegistryKeys keys;
    private final Clock clock;
    private final PrintWriter out;
    private List<String> lastProblems = List.of();
    volatile String failure;
    /** The sealing of the running endpoints, once they run: their key stores are read again after each sync. */
    volatile Transports.Sealing sealing;
    /** The folder as last synced. */
    private String lastStamp;

    private long lastFull;
    /** Syncs made so far (tests count them). */
    int syncs;

    RegistryWatch(FormixHome home, NetworkDb net, RegistryKeys keys, Clock clock, PrintWriter out) {
        this.home = home;
        this.net = net;
        this.keys = keys;
        this.clock = clock;
        this.out = out;
    }

    @Override
    public synchronized void run() {
        String stamp = FolderStamp.of(home);
        long now = clock.millis();
        if (failure == null && stamp.equals(lastStamp) && now - lastFull < FULL_EVERY) {
            return;
        }
        lastStamp = stamp;
        lastFull = now;
        syncs++;
        try {
            RegistrySync.Result r = RegistrySync.sync(home, net);
            keys.use(r);
            report(r.problems());
            failure = null;
            // A rotation republishes the node's descriptor, which changes the stamp: its new
            // key (and the old key's shorter expiry) take effect here without a restart.
            Transports.Sealing s = sealing;
            if (s != null) {
                for (String line : s.reloadOwnKeys()) {
                    out.println("registry: " + TerminalText.safe(line));
                }
                out.flush();
            }
        } catch (RegistryException e) {
            failure = e.getMessage();
            report(List.of(e.getMessage()));
        } catch (RuntimeException e) {
            failure = "registry sync failed: " + e;
            report(List.of(failure));
        }
    }

    private void report(List<String> problems) {
        if (!problems.equals(lastProblems)) {
            for (String p : problems) {
                out.println("registry: " + TerminalText.safe(p));
            }
            out.flush();
            lastProblems = problems;
        }
    }
}
