package io.pgforce.bench;

/**
 * pgforce's memory while a workload runs: the heap in use sampled from /q/metrics every 250 ms (a
 * sample, so a peak between two samples is missed; the metrics call itself costs pgforce a little),
 * and the kernel's exact peak RSS (VmHWM, reset at the start).
 */
final class PeakMemory implements AutoCloseable {

    /** In MiB. */
    record Peak(double heapMb, double rssMb) {
    }

    private static final long EVERY_MILLIS = 250;
    private final Engine engine;
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long maxHeap;

    private PeakMemory(Engine engine) {
        this.engine = engine;
        this.sampler = new Thread(this::sample, "bench-heap-sampler");
        sampler.setDaemon(true);
    }

    static PeakMemory watch(Engine engine) {
        engine.resetPeakRss();
        PeakMemory m = new PeakMemory(engine);
        m.sampler.start();
        return m;
    }

    private void sample() {
        while (running) {
            try {
                maxHeap = Math.max(maxHeap, engine.heapUsed());
            } catch (Exception e) {
                // pgforce busy or gone: the next sample tells
            }
            try {
                Thread.sleep(EVERY_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops sampling and returns the peaks; RSS -1 when the process is gone. */
    Peak stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long rss;
        try {
            rss = engine.isAlive() ? engine.peakRss() : -1;
        } catch (Exception e) {
            rss = -1;
        }
        return new Peak(maxHeap / 1048576.0, rss < 0 ? -1 : rss / 1048576.0);
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
