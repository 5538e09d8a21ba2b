package io.pgforce.write;

import io.pgforce.config.MappingSet;
import io.pgforce.plan.BatchDependencies;
import io.pgforce.plan.PlanRules;
import io.pgforce.plan.WriteBatch;
import io.pgforce.plan.WritePlan;
import io.quarkus.arc.Unremovable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Sends a plan's batches through the batch route ({@code direct:pgforce-write-batch}), in plan
 * order, up to the connection's {@code write_concurrency} at once. With 1 (the default, the
 * original's serial writer) each batch goes after the one before it. With more, a batch waits
 * only for the earlier batches it depends on ({@link BatchDependencies}): every record's changes
 * keep their trigger-log order and a child never overtakes its parent. A batch that fails for an
 * unexpected reason ends the cycle: nothing more is started, the batches on their way finish, and
 * the failure is the cycle's.
 */
@ApplicationScoped
@Unremovable
@Named("writeLanes")
public class WriteLanes {

    static final String BATCH_ROUTE = "direct:pgforce-write-batch";

    private final ProducerTemplate producer;
    private final PlanRules rules;
    private final int concurrency;
    private final ExecutorService lanes;

    @Inject
    WriteLanes(ProducerTemplate producer, PlanRules rules, MappingSet mappings) {
        this.producer = producer;
        this.rules = rules;
        this.concurrency = mappings.connection().writeConcurrency();
        AtomicInteger n = new AtomicInteger();
        this.lanes = concurrency == 1 ? null : Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "pgforce-write-lane-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Body: the plan. Returns when every batch started has finished; throws the first failure. */
    public void run(WritePlan plan, Exchange exchange) throws Exception {
        List<WriteBatch> batches = plan.batches();
        if (lanes == null) {
            for (WriteBatch batch : batches) {
                Exception failure = send(exchange, batch);
                if (failure != null) {
                    throw failure;
                }
            }
            return;
        }
        new Run(exchange, batches, BatchDependencies.of(batches, rules)).await();
    }

    private Exception send(Exchange cycle, WriteBatch batch) {
        Exchange one = cycle.copy();
        one.getMessage().setBody(batch);
        return producer.send(BATCH_ROUTE, one).getException();
    }

    /** One plan on its way: which batches are done, how many are out, the first failure. */
    private final class Run {

        private final Exchange cycle;
        private final List<WriteBatch> batches;
        private final List<Set<Integer>> dependencies;
        private final boolean[] done;
        private int out;
        private Exception failure;

        Run(Exchange cycle, List<WriteBatch> batches, List<Set<Integer>> dependencies) {
            this.cycle = cycle;
            this.batches = batches;
            this.dependencies = dependencies;
            this.done = new boolean[batches.size()];
        }

        synchronized void await() throws Exception {
            for (int b = 0; b < batches.size() && failure == null; b++) {
                while (failure == null && (out == concurrency || !dependenciesDone(b))) {
                    wait();
                }
                if (failure == null) {
                    int index = b;
                    out++;
                    lanes.execute(() -> {
                        Exception failed;
                        try {
                            failed = send(cycle, batches.get(index));
                        } catch (RuntimeException e) {
                            failed = e;
                        }
                        finished(index, failed);
                    });
                }
            }
            while (out > 0) {
                wait();
            }
            if (failure != null) {
                throw failure;
            }
        }

        private boolean dependenciesDone(int batch) {
            for (int d : dependencies.get(batch)) {
                if (!done[d]) {
                    return false;
                }
            }
            return true;
        }

        private synchronized void finished(int batch, Exception failed) {
            out--;
            done[batch] = true;
            if (failed != null && failure == null) {
                failure = failed;
            }
            notifyAll();
        }
    }

    @PreDestroy
    void stop() {
        if (lanes != null) {
            lanes.shutdownNow();
        }
    }
}
