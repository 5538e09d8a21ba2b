package io.pgforce.admin.api;

import io.pgforce.cycle.WriterLease;
import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.connection.PauseSwitch;
import io.pgforce.salesforce.ApiAllocation;
import io.pgforce.triggerlog.InstanceId;
import io.pgforce.triggerlog.TriggerLogStatistics;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/status}: the connection as the original's {@code connect:info} shows it, with
 * the backlog; {@code POST /api/pause} and {@code /api/resume} (body {@code {"by": "name"}},
 * optional) answer the status after the change. With the database away the status still answers:
 * the state says so, and what only the database knows is null.
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    /** Who paused or resumed, unless the body names someone. */
    static final String DEFAULT_BY = "admin API";
    private static final int MAX_BY = 200;

    public record Paused(Instant since, String by) {
    }

    public record Status(ConnectionState state, String label, String reason, Instant since, Paused paused, boolean writer, String instance,
                         String schema, String writeAlgorithm, String ordering, Double oldestNewAgeSeconds, Long pending, Long failed, Long writtenToday,
                         boolean problem, String databaseError, ApiRequests apiRequests) {
    }

    /** The org's daily API requests as Salesforce last said (null before it said), and pgforce.api.max-share. */
    public record ApiRequests(Long used, Long max, double maxShare) {
    }

    private final ConnectionStatus connection;
    private final PauseSwitch pauseSwitch;
    private final WriterLease lease;
    private final InstanceId instance;
    private final MappingSet mappings;
    private final TriggerLogStatistics statistics;
    private final ApiAllocation allocation;

    @Inject
    StatusResource(ConnectionStatus connection, PauseSwitch pauseSwitch, WriterLease lease, InstanceId instance, MappingSet mappings,
                   TriggerLogStatistics statistics, ApiAllocation allocation) {
        this.allocation = allocation;
        this.connection = connection;
        this.pauseSwitch = pauseSwitch;
        this.lease = lease;
        this.instance = instance;
        this.mappings = mappings;
        this.statistics = statistics;
    }

    @GET
    @Path("status")
    public Status status() {
        ConnectionState state = connection.state();
        Paused paused = null;
        Double oldest = null;
        Long pending = null;
        Long failed = null;
        Long today = null;
        String databaseError = null;
        try {
            paused = pauseSwitch.current().map(p -> new Paused(p.since(), p.by())).orElse(null);
            oldest = statistics.oldestNewAge().map(d -> d.toMillis() / 1000.0).orElse(null);
            Map<String, TriggerLogStatistics.TableCounts> counts = statistics.perTable();
            pending = counts.values().stream().mapToLong(TriggerLogStatistics.TableCounts::pending).sum();
            failed = counts.values().stream().mapToLong(TriggerLogStatistics.TableCounts::failed).sum();
            today = counts.values().stream().mapToLong(TriggerLogStatistics.TableCounts::writtenToday).sum();
        } catch (SQLException e) {
            databaseError = ApiError.of(e.getMessage()).error();
        }
        return new Status(state, state.label(), connection.reason(), connection.since(), paused, lease.isHeld(), instance.value(),
                mappings.connection().schema(), mappings.connection().writeAlgorithm().name(),
                mappings.connection().ordering().name(), oldest, pending, failed, today,
                state.problem(), databaseError, apiRequests(allocation.usage().orElse(null)));
    }

    /** One reading for both figures: another answer may change it between two looks. */
    private ApiRequests apiRequests(ApiAllocation.Usage usage) {
        return new ApiRequests(usage == null ? null : usage.used(), usage == null ? null : usage.max(), allocation.maxShare());
    }

    @POST
    @Path("pause")
    @Consumes(MediaType.WILDCARD)
    public Status pause(String body) throws SQLException {
        pauseSwitch.pause(by(body));
        return status();
    }

    @POST
    @Path("resume")
    @Consumes(MediaType.WILDCARD)
    public Status resume(String body) throws SQLException {
        pauseSwitch.resume(by(body));
        return status();
    }

    /** Who pauses or resumes: a name, shown in every status while the pause lasts, so a short one. */
    private static String by(String body) {
        String by = RequestValues.body(body, false, Set.of("by")).path("by").asText("");
        if (by.strip().length() > MAX_BY) {
            throw ApiException.badRequest("by", "at most " + MAX_BY + " characters, found " + by.strip().length());
        }
        return by.isBlank() ? DEFAULT_BY : by.strip();
    }
}
