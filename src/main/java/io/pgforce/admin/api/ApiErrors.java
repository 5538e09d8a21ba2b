package io.pgforce.admin.api;

import io.pgforce.config.InvalidConfigurationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure of an admin API call into {@code {"error": "one line"}} with its status: a
 * caller (the console, the CLI, a script) never gets a stack trace or an HTML page. Only an
 * unexpected failure is logged, with its stack trace, here on the server.
 */
public class ApiErrors {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class);

    @ServerExceptionMapper
    public Response refused(ApiException e) {
        return answer(e.status(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidConfiguration(InvalidConfigurationException e) {
        return answer(400, e.getMessage());
    }

    // the dev and test modes' own mapper would answer an HTML page listing the endpoints
    @ServerExceptionMapper(priority = 1)
    public Response notFound(NotFoundException e) {
        return answer(404, "no such endpoint (see docs/operations.md, Admin API)");
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        return answer(e.getResponse().getStatus(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response database(SQLException e) {
        LOG.debugf(e, "Admin API call failed on the database");
        return answer(503, "the database is unavailable: " + e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        LOG.error("Admin API call failed", e);
        return answer(500, "unexpected error: " + e);
    }

    static Response answer(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ApiError.of(message)).build();
    }
}
