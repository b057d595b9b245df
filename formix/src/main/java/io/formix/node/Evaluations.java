package io.formix.node;

import io.formix.data.DataException;
import io.formix.data.DataSources;
import io.formix.query.Answer;
import io.formix.query.Evaluator;
import io.formix.query.QueryException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Where light nodes evaluate their queries: a bounded pool shared by every light node of the host
 * process ({@link #THREADS} threads, at most {@link #QUEUE} evaluations waiting), so reading a large
 * source never holds a node's lock nor the host's receive or tick threads. Each evaluation is
 * bounded by its query's {@code maxRows} and {@code maxSeconds} ({@link Evaluator}); one that
 * cannot be queued is asked again from the node's next ticks.
 */
final class Evaluations {

    static final int THREADS = 2;
    static final int QUEUE = 256;

    private static final ExecutorService POOL =
            new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "formix-evaluation");
                t.setDaemon(true);
                return t;
            });

    static {
        ((ThreadPoolExecutor) POOL).allowCoreThreadTimeOut(true);
    }

    private Evaluations() {}

    /**
     * Evaluates {@code e} on the pool and hands the outcome to {@code done} (on the pool's thread);
     * when the pool is full, hands {@code done} an outcome with neither answer nor failure at once.
     */
    static void submit(Effect.Evaluate e, Consumer<LightCore.Evaluated> done) {
        try {
            POOL.execute(() -> done.accept(run(e)));
        } catch (RejectedExecutionException full) {
            done.accept(new LightCore.Evaluated(e.computation(), null, null));
        }
    }

    /** Evaluates {@code e} here: the answer, or the one-line reason it failed. */
    static LightCore.Evaluated run(Effect.Evaluate e) {
        try {
            Answer a = Evaluator.evaluate(e.query(), DataSources.open(e.spec()), System::nanoTime);
            return new LightCore.Evaluated(e.computation(), a, null);
        } catch (DataException | QueryException x) {
            return new LightCore.Evaluated(e.computation(), null, x.getMessage());
        } catch (RuntimeException x) {
            return new LightCore.Evaluated(e.computation(), null, "unexpected " + x);
        }
    }
}
