package io.pgforce.admin.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.MappingWriter;
import io.pgforce.read.MappingReload;
import io.pgforce.read.ReadState;
import io.pgforce.read.ReadStatistics;
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
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The running mappings: {@code GET /api/mappings} with each one's trigger-log counts (every
 * mapping, zero counts included) and its read (null before its first), {@code POST
 * /api/mappings/{mapping}/reload}, {@code GET /api/export} in the original's export JSON, and
 * {@code POST /api/import} of such an export (see {@link MappingImport}).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class MappingsResource {

    public record MappingSummary(String object, String table, String access, int fields, String uniqueIdentifier, long pending, long failed,
                                 long writtenToday, Map<TriggerLogState, Long> states, ReadState read) {
    }

    private final MappingSet mappings;
    private final TriggerLogStatistics statistics;
    private final ReadStatistics reads;
    private final MappingReload reload;
    private final MappingImport mappingImport;

    @Inject
    MappingsResource(MappingSet mappings, TriggerLogStatistics statistics, ReadStatistics reads, MappingReload reload, MappingImport mappingImport) {
        this.mappings = mappings;
        this.statistics = statistics;
        this.reads = reads;
        this.reload = reload;
        this.mappingImport = mappingImport;
    }

    @GET
    @Path("mappings")
    public List<MappingSummary> mappings() throws SQLException {
        return summaries(mappings.mappings());
    }

    /** The mapping (object or table name) loads again from nothing at its next read; answers its summary. */
    @POST
    @Path("mappings/{mapping}/reload")
    @Consumes(MediaType.WILDCARD)
    public MappingSummary reload(@PathParam("mapping") String mapping) throws SQLException {
        Mapping m = reload.reload(mapping, "admin API")
                .orElseThrow(() -> new ApiException(404, "no mapping '" + mapping + "' (give its object or table name)"));
        return summaries(List.of(m)).get(0);
    }

    private List<MappingSummary> summaries(List<Mapping> which) throws SQLException {
        Map<String, TriggerLogStatistics.TableCounts> counts = statistics.perTable();
        Map<String, ReadState> read = reads.perTable();
        return which.stream().map(m -> summary(m, counts.getOrDefault(m.table(),
                new TriggerLogStatistics.TableCounts(m.table(), Map.of(), 0, 0)), read.get(m.table()))).toList();
    }

    private static MappingSummary summary(Mapping m, TriggerLogStatistics.TableCounts counts, ReadState read) {
        Map<TriggerLogState, Long> states = new EnumMap<>(TriggerLogState.class);
        for (TriggerLogState s : TriggerLogState.values()) {
            states.put(s, counts.live().getOrDefault(s, 0L));
        }
        return new MappingSummary(m.object(), m.table(), m.access().label(), m.fields().size() + m.relationships().size(), m.uniqueIdentifier(),
                counts.pending(), counts.failed(), counts.writtenToday(), states, read);
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
