package io.pgforce.admin.api;

import io.pgforce.admin.diagnose.Diagnose;
import io.pgforce.admin.diagnose.Diagnosis;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/diagnose}: the running configuration; {@code POST /api/diagnose?name=F} with a
 * mapping file as the body (pgforce YAML or the original's export JSON): that file, changing
 * nothing. Both answer {@code {"status", "checks": [{"scope", "check", "status", "message", "action"}]}}.
 */
@Path("/api/diagnose")
@Produces(MediaType.APPLICATION_JSON)
public class DiagnoseResource {

    private final Diagnose diagnose;

    @Inject
    DiagnoseResource(Diagnose diagnose) {
        this.diagnose = diagnose;
    }

    @GET
    public Diagnosis running() {
        return diagnose.running();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Diagnosis file(@QueryParam("name") String name, String content) {
        return diagnose.file(name, content == null ? "" : content);
    }
}
