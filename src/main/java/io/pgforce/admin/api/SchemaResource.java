package io.pgforce.admin.api;

import io.pgforce.schema.SchemaStartup;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * Taking over a schema Heroku Connect laid out ({@code pgforce adopt}): {@code ?dryRun=true} lists
 * what adopting changes and changes nothing; without it the schema is adopted and the next cycle
 * sends the backlog.
 */
@Path("/api/schema")
@Produces(MediaType.APPLICATION_JSON)
public class SchemaResource {

    /** The changes, a line each; {@code done} false for a dry run. */
    public record Adoption(boolean done, List<String> changes) {
    }

    private final SchemaStartup schema;

    @Inject
    SchemaResource(SchemaStartup schema) {
        this.schema = schema;
    }

    @POST
    @Path("adopt")
    @Consumes(MediaType.WILDCARD)
    public Adoption adopt(@QueryParam("dryRun") boolean dryRun) {
        return dryRun ? new Adoption(false, schema.adoptionPlan()) : new Adoption(true, schema.adopt());
    }
}
