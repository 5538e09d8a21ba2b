package io.pgforce.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.MappingWriter;
import io.pgforce.triggerlog.TriggerLogState;
import io.pgforce.triggerlog.TriggerLogStatistics;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The running mappings: {@code GET /api/mappings} with each one's trigger-log counts (every
 * mapping, zero counts included), {@code GET /api/export} in the original's export JSON, and
 * {@code POST /api/import} of such an export (see {@link MappingImport}).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class MappingsResource {

    public record MappingSummary(String object, String table, String access, int fields, String uniqueIdentifier, long pending, long failed,
                                 long writtenToday, Map<TriggerLogState, Long> states) {
    }

    private final MappingSet mappings;
    private final TriggerLogStatistics statistics;
    private final MappingImport mappingImport;

    @Inject
    MappingsResource(MappingSet mappings, TriggerLogStatistics statistics, MappingImport mappingImport) {
        this.mappings = mappings;
        this.statistics = statistics;
        this.mappingImport = mappingImport;
    }

    @GET
    @Path("mappings")
    public List<MappingSummary> mappings() throws SQLException {
        Map<String, TriggerLogStatistics.TableCounts> counts = statistics.perTable();
        return mappings.mappings().stream().map(m -> summary(m, counts.getOrDefault(m.table(),
                new TriggerLogStatistics.TableCounts(m.table(), Map.of(), 0, 0)))).toList();
    }

    private static MappingSummary summary(Mapping m, TriggerLogStatistics.TableCounts counts) {
        Map<TriggerLogState, Long> states = new EnumMap<>(TriggerLogState.class);
        for (TriggerLogState s : TriggerLogState.values()) {
            states.put(s, counts.live().getOrDefault(s, 0L));
        }
        return new MappingSummary(m.object(), m.table(), m.access().label(), m.fields().size() + m.relationships().size(), m.uniqueIdentifier(),
                counts.pending(), counts.failed(), counts.writtenToday(), states);
    }

    @GET
    @Path("export")
    public ObjectNode export() {
        return MappingWriter.export(mappings);
    }

    /** The body is the original's export JSON (or pgforce YAML, named {@code .yaml}); {@code name} stands for it in messages. */
    @POST
    @Path("import")
    @Consumes(MediaType.WILDCARD)
    public MappingImport.Result importMappings(@QueryParam("dryRun") String dryRun, @QueryParam("name") String name, String body) throws IOException {
        boolean dry = RequestValues.bool("dryRun", dryRun, false);
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("body", "the mapping export JSON is required");
        }
        String document = RequestValues.text(name) == null ? "import.json" : name.strip();
        try {
            return mappingImport.importing(document, body, dry);
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("name", "'" + name + "' is not a file name");
        }
    }
}
