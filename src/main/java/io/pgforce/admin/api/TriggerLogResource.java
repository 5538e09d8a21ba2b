package io.pgforce.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.triggerlog.OperatorActions;
import io.pgforce.triggerlog.TriggerLogBrowser;
import io.pgforce.triggerlog.TriggerLogState;
import io.pgforce.triggerlog.TriggerLogStatistics;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The trigger log for operators: browsing the live log or the archive, the write errors with
 * Salesforce's message, retrying or ignoring them (through {@link OperatorActions}: only io.pgforce.triggerlog changes
 * the states), and the activity chart.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class TriggerLogResource {

    static final int DEFAULT_LIMIT = 50;
    /** The most rows one page holds, whatever a caller asks. */
    static final int MAX_LIMIT = 500;
    /** The most points an activity chart holds. */
    static final long MAX_POINTS = 10_000;

    /** One page: {@code limit} is what was applied, after the cap. */
    public record Page(List<TriggerLogBrowser.Row> rows, long total, int limit, long offset) {
    }

    public record Changed(int changed) {
    }

    private final TriggerLogBrowser browser;
    private final OperatorActions operatorActions;
    private final TriggerLogStatistics statistics;
    private final MappingSet mappings;

    @Inject
    TriggerLogResource(TriggerLogBrowser browser, OperatorActions operatorActions, TriggerLogStatistics statistics, MappingSet mappings) {
        this.browser = browser;
        this.operatorActions = operatorActions;
        this.statistics = statistics;
        this.mappings = mappings;
    }

    @GET
    @Path("trigger-log")
    public Page triggerLog(@QueryParam("table") String table, @QueryParam("state") String state, @QueryParam("action") String action,
                           @QueryParam("recordId") String recordId, @QueryParam("archive") String archive,
                           @QueryParam("limit") String limit, @QueryParam("offset") String offset) throws SQLException {
        String id = RequestValues.text(recordId);
        TriggerLogBrowser.Filter filter = new TriggerLogBrowser.Filter(RequestValues.text(table),
                RequestValues.constant("state", state, TriggerLogState.class), RequestValues.constant("action", action, TriggerLogBrowser.Action.class),
                id == null ? null : RequestValues.number("recordId", id, 0, 0, Long.MAX_VALUE), RequestValues.bool("archive", archive, false));
        int max = limit(limit);
        long skip = offset(offset);
        TriggerLogBrowser.Page page = browser.browse(filter, max, skip);
        return new Page(page.rows(), page.total(), max, skip);
    }

    @GET
    @Path("errors")
    public Page errors(@QueryParam("table") String table, @QueryParam("limit") String limit, @QueryParam("offset") String offset) throws SQLException {
        int max = limit(limit);
        long skip = offset(offset);
        TriggerLogBrowser.Page page = browser.errors(mappedTable(RequestValues.text(table)), max, skip);
        return new Page(page.rows(), page.total(), max, skip);
    }

    @POST
    @Path("errors/retry")
    @Consumes(MediaType.WILDCARD)
    public Changed retry(String body) throws SQLException {
        return new Changed(operatorActions.retry(selection(body)));
    }

    @POST
    @Path("errors/{id}/retry")
    @Consumes(MediaType.WILDCARD)
    public Changed retryOne(@PathParam("id") String id) throws SQLException {
        return new Changed(operatorActions.retry(one(id)));
    }

    @POST
    @Path("errors/ignore")
    @Consumes(MediaType.WILDCARD)
    public Changed ignore(String body) throws SQLException {
        return new Changed(operatorActions.ignore(selection(body)));
    }

    @POST
    @Path("errors/{id}/ignore")
    @Consumes(MediaType.WILDCARD)
    public Changed ignoreOne(@PathParam("id") String id) throws SQLException {
        return new Changed(operatorActions.ignore(one(id)));
    }

    @GET
    @Path("activity")
    public List<TriggerLogStatistics.ActivityPoint> activity(@QueryParam("window") String window, @QueryParam("interval") String interval)
            throws SQLException {
        Duration w = RequestValues.duration("window", window, Duration.ofHours(1));
        Duration i = RequestValues.duration("interval", interval, Duration.ofMinutes(1));
        if (i.toSeconds() < 1) {
            throw ApiException.badRequest("interval", "must be at least PT1S, found " + interval);
        }
        if (w.toSeconds() / i.toSeconds() > MAX_POINTS) {
            throw ApiException.badRequest("window", "at most " + MAX_POINTS + " intervals per chart; make the window shorter or the interval longer");
        }
        return statistics.activity(w, i);
    }

    private static int limit(String limit) {
        return (int) RequestValues.number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT);
    }

    private static long offset(String offset) {
        return RequestValues.number("offset", offset, 0, 0, Long.MAX_VALUE);
    }

    private static OperatorActions.Selection one(String id) {
        return OperatorActions.Selection.ids(List.of(RequestValues.number("id", id, -1, 1, Long.MAX_VALUE)));
    }

    /** The write errors of a table are asked for by its name: a typo is refused, not answered with none. */
    private String mappedTable(String table) {
        if (table != null && mappings.byTable(table).isEmpty()) {
            throw ApiException.badRequest("table", "'" + table + "' is not a mapped table (mapped: "
                    + mappings.mappings().stream().map(Mapping::table).collect(Collectors.joining(", ")) + ")");
        }
        return table;
    }

    /** {@code {}}: every write error; {@code {"table": "account"}}: one mapping's; {@code {"ids": [1, 2]}}: these rows. */
    private OperatorActions.Selection selection(String body) {
        ObjectNode request = RequestValues.body(body, true, Set.of("table", "ids"));
        String table = mappedTable(request.hasNonNull("table") ? request.get("table").asText().strip() : null);
        List<Long> ids = new ArrayList<>();
        JsonNode idsNode = request.path("ids");
        if (!idsNode.isMissingNode() && !idsNode.isNull()) {
            if (!idsNode.isArray() || idsNode.isEmpty()) {
                throw ApiException.badRequest("ids", "must be a non-empty list of trigger-log ids");
            }
            for (JsonNode id : idsNode) {
                if (!id.canConvertToLong() || !id.isIntegralNumber()) {
                    throw ApiException.badRequest("ids", "'" + id + "' is not a trigger-log id");
                }
                ids.add(id.longValue());
            }
        }
        return new OperatorActions.Selection(table, ids);
    }
}
