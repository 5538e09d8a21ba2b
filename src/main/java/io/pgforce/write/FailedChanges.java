package io.pgforce.write;

import io.pgforce.salesforce.Outcome;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.jboss.logging.Logger;

/**
 * Announces every change that newly ended FAILED, once the trigger log has recorded it, on the
 * queue the route {@code pgforce-change-failed} (errors.yaml) reads: a webhook by default, or
 * wherever an operator sends it. Never in the writer's way: a full queue drops the notice (and
 * says so) rather than wait.
 */
@ApplicationScoped
@Unremovable
public class FailedChanges {

    static final String QUEUE = "seda:pgforce-change-failed";
    private static final Logger LOG = Logger.getLogger("io.pgforce.errors");

    private final ProducerTemplate producer;

    @Inject
    FailedChanges(ProducerTemplate producer) {
        this.producer = producer;
    }

    void announce(List<Outcome> outcomes) {
        for (Outcome o : outcomes) {
            if (o.kind() != Outcome.Kind.FAILED) {
                continue;
            }
            try {
                producer.sendBody(QUEUE, notice(o));
            } catch (RuntimeException full) {
                LOG.warnf("The failure of trigger log id %d was not announced: %s", o.item().logId(), full.getMessage());
            }
        }
    }

    /** What a receiver gets, as JSON. */
    private static Map<String, Object> notice(Outcome o) {
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("mapping", o.item().object());
        notice.put("table", o.item().table());
        notice.put("recordId", o.item().recordId());
        notice.put("triggerLogId", o.item().logId());
        notice.put("action", o.item().operation().isInsert() ? "INSERT" : o.item().operation().name());
        notice.put("statusCode", o.error().statusCode());
        notice.put("message", o.error().message());
        return notice;
    }
}
