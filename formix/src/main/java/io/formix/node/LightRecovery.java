package io.formix.node;

import io.formix.transport.PartyId;
import java.util.List;
import java.util.function.Predicate;

/**
 * Picks up the persisted work of a started host's light nodes in the background, once they run:
 * each node's database is read ({@link Node#prepare}) and what it left unsent is sent again
 * ({@link Node#resume}). Reading 10,000 databases took a restarted host about a second of its
 * two cores' time before any node counted as running; a light node that receives a computation
 * meanwhile handles it as always, its events serialised by its lock as the recovery's are.
 */
final class LightRecovery implements Runnable {

    private final List<Node> lights;
    private final Predicate<PartyId> hosted;

    private LightRecovery(List<Node> lights, Predicate<PartyId> hosted) {
        this.lights = lights;
        this.hosted = hosted;
    }

    /** Starts the recovery of {@code lights} on a daemon thread; a node no longer {@code hosted} is skipped. */
    static Thread start(List<Node> lights, Predicate<PartyId> hosted) {
        Thread t = new Thread(new LightRecovery(lights, hosted), "formix-light-recovery");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        for (Node node : lights) {
            synchronized (node) {
                if (!hosted.test(node.uid)) {
                    continue; // stopped meanwhile: its next host recovers it
                }
                try {
                    node.prepare();
                    node.resume();
                } catch (RuntimeException e) {
                    if (hosted.test(node.uid)) {
                        node.log.warn("could not pick up the work left from before the restart: " + e);
                    }
                }
            }
        }
    }
}
