package io.pgforce.admin.api;

import io.pgforce.connection.PauseSwitch;
import io.pgforce.schema.SchemaStartup;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import java.util.List;

/**
 * Taking over a schema Heroku Connect laid out ({@code pgforce adopt}), and handing it back
 * ({@code pgforce release}): {@code ?dryRun=true} lists what either changes and changes nothing.
 * Adopted, the next cycle sends the backlog; released, pgforce writes nothing until it adopts the
 * schema again. A release needs writing paused first, so that no cycle is sending meanwhile.
 */
@Path("/api/schema")
@Produces(MediaType.APPLICATION_JSON)
public class SchemaResource {

    /** The changes, a line each; {@code done} false for a dry run. */
    public record Adoption(boolean done, List<String> changes) {
    }

    private final SchemaStartup schema;
    private final PauseSwitch pauseSwitch;

    @Inject
    SchemaResource(SchemaStartup schema, PauseSwitch pauseSwitch) {
        this.schema = schema;
        this.pauseSwitch = pauseSwitch;
    }

    @POST
    @Path("adopt")
    @Consumes(MediaType.WILDCARD)
    public Adoption adopt(@QueryParam("dryRun") boolean dryRun) {
        return dryRun ? new Adoption(false, schema.adoptionPlan()) : new Adoption(true, schema.adopt());
    }

    @POST
    @Path("release")
    @Consumes(MediaType.WILDCARD)
    public Adoption release(@QueryParam("dryRun") boolean dryRun) throws SQLException {
        if (!dryRun && pauseSwitch.current().isEmpty()) {
            throw new ApiException(409, "Writing is not paused: pause it first (pgforce pause), so that no cycle sends while Heroku Connect's capture is put back");
        }
        return new Adoption(!dryRun, schema.release(dryRun));
    }
}
