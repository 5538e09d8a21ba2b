package io.pgforce.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A switched-on fault of a Bulk step ({@link Faults#bulkFault}), as ingest and query jobs meet it:
 * logged under the step's name, then HTTP 503 before the step is applied, or with a lost response
 * a read's connection dropped at once and a write's after it is applied.
 */
final class BulkStepFaults {

    /** What the endpoint does next. */
    enum Next {
        /** No fault: apply the step and answer. */
        ANSWER,
        /** Apply the step, then drop the connection instead of answering. */
        LOSE_ANSWER,
        /** The fault answered (or dropped) the request: nothing is left to do. */
        DONE
    }

    private BulkStepFaults() {
    }

    /** @param step the step the request is, null for one no fault hits; @param jobId the job it addresses, or null */
    static Next take(SimulatorContext ctx, HttpExchange ex, String api, Faults.BulkStep step, String jobId, Instant now) throws IOException {
        Faults.BulkFailure failure = step == null ? null : ctx.faults().takeBulkFault(step);
        if (failure == null) {
            return Next.ANSWER;
        }
        ctx.calls().add(new CallLog.Call(now, api, step.name(), List.of(), 0, 0, 0, failure.name(), jobId == null ? Map.of() : Map.of("jobId", jobId)));
        if (failure == Faults.BulkFailure.HTTP_503) {
            HttpIo.text(ex, 503, "text/html", "<html><body>Service Unavailable</body></html>");
            return Next.DONE;
        }
        if (failure == Faults.BulkFailure.EXCEEDED_QUOTA) {
            HttpIo.errors(ex, 400, "EXCEEDEDQUOTA", "The daily limit of Bulk API jobs is reached");
            return Next.DONE;
        }
        if (step.read()) {
            ex.close(); // a read: nothing to apply before the connection drops
            return Next.DONE;
        }
        return Next.LOSE_ANSWER;
    }
}
