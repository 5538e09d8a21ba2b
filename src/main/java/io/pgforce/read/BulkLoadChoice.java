package io.pgforce.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgforce.config.Mapping;
import io.pgforce.route.PgforceConstants;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.jboss.logging.Logger;

/**
 * Whether a load goes through a Bulk API 2.0 query job: the object's records are counted first (a
 * REST {@code SELECT COUNT()}, one call), and at {@code pgforce.read.bulk-threshold} or more they
 * are. Only a load reading the whole object is counted; polls (an empty object's too), and a REST
 * load an interruption left (it goes on from its watermark), stay REST.
 */
@ApplicationScoped
@Unremovable
@Named("bulkLoadChoice")
public class BulkLoadChoice {

    private static final Logger LOG = Logger.getLogger("io.pgforce.read");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int threshold;
    private final ReadStates states;

    @Inject
    BulkLoadChoice(ReadSettings settings, ReadStates states) {
        this.threshold = settings.bulkThreshold();
        this.states = states;
    }

    /**
     * Whether the read is a load to count: a load not yet finished that reads the whole object, no
     * Bulk job of it under way, and Bulk on. A loaded object with no record has no watermark either:
     * its polls read it whole, and are not counted (a poll is one call).
     */
    public boolean counts(@ExchangeProperty(PgforceConstants.READ) ReadRun run) {
        return threshold > 0 && run.loading() && run.fullLoad() && !run.bulk();
    }

    /** The count's query. */
    public String countQuery(@ExchangeProperty(PgforceConstants.READ) ReadRun run) {
        return ReadQuery.countSoql(run.mapping());
    }

    /** The count's answer (the REST query's raw JSON, its {@code totalSize}; a call, counted): at the threshold or above, the load is Bulk. */
    public void counted(@Body InputStream answer, @ExchangeProperty(PgforceConstants.READ) ReadRun run) throws IOException, SQLException {
        states.called(run.mapping());
        long records = JSON.readTree(answer).path("totalSize").asLong();
        if (records >= threshold) {
            Mapping m = run.mapping();
            LOG.infof("Loading %s into %s: %d record(s), at least pgforce.read.bulk-threshold (%d), through a Bulk API 2.0 query job",
                    m.object(), m.table(), records, threshold);
            run.bulkChosen();
        }
    }
}
