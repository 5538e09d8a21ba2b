package io.pgforce.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Clock;

/** What the endpoints of both kinds of Bulk API 2.0 job share: the org, its clock, Salesforce's queue, and their jobs. */
abstract class BulkJobEndpoint<J extends BulkJob> {

    final SimulatorContext ctx;
    final Clock clock;
    final BulkJobQueue queue;
    final BulkJobs<J> jobs = new BulkJobs<>();

    BulkJobEndpoint(SimulatorContext ctx, Clock clock, BulkJobQueue queue) {
        this.ctx = ctx;
        this.clock = clock;
        this.queue = queue;
    }

    /** Forgets every job; unfinished ones are aborted first, so that none goes on in the fresh org. */
    void clear() {
        jobs.clear();
    }

    /** @param rest the path after {@code jobs/ingest} or {@code jobs/query} */
    final void handle(HttpExchange ex, String version, String rest) throws IOException {
        handle(ex, version, ex.getRequestMethod(), rest.isEmpty() ? new String[0] : rest.split("/"));
    }

    /** @param parts the path's segments after {@code jobs/ingest} or {@code jobs/query}: none, a job's Id, then one of its resources */
    abstract void handle(HttpExchange ex, String version, String method, String[] parts) throws IOException;
}
