package io.pgforce.admin.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * The console is a static page (META-INF/resources/console/) over the admin API; {@code /console}
 * sends the browser to its directory, so that the page's relative links resolve.
 */
@Path("/console")
public class ConsoleResource {

    @GET
    public Response page() {
        return Response.seeOther(URI.create("/console/")).build();
    }
}
