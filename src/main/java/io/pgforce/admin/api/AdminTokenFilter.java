package io.pgforce.admin.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every {@code /api} call needs {@code Authorization: Bearer <pgforce.admin.token>}. Without a
 * configured token the API is open only where {@code pgforce.admin.open-without-token} says so
 * (the demo run and the tests); anywhere else it refuses every call and says what to set.
 * Runs before matching, so an unknown path under {@code /api} says nothing to a caller without the token.
 */
@Provider
@PreMatching
public class AdminTokenFilter implements ContainerRequestFilter {

    static final String NO_TOKEN = "pgforce.admin.token is not set: the admin API refuses every call until it is (PGFORCE_ADMIN_TOKEN)";

    private final Optional<byte[]> token;
    private final boolean openWithoutToken;

    @Inject
    AdminTokenFilter(@ConfigProperty(name = "pgforce.admin.token") Optional<String> token,
                     @ConfigProperty(name = "pgforce.admin.open-without-token") boolean openWithoutToken) {
        this.token = token.map(String::strip).filter(t -> !t.isEmpty()).map(AdminTokenFilter::digest);
        this.openWithoutToken = openWithoutToken;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/api") || path.startsWith("/api/"))) {
            return;
        }
        if (token.isEmpty()) {
            if (!openWithoutToken) {
                request.abortWith(ApiErrors.answer(403, NO_TOKEN));
            }
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String problem = header == null ? "missing Authorization: Bearer <pgforce.admin.token>"
                : !header.regionMatches(true, 0, "Bearer ", 0, 7) ? "the Authorization header must be Bearer <pgforce.admin.token>"
                : MessageDigest.isEqual(digest(header.substring(7).strip()), token.get()) ? null
                : "wrong admin token";
        if (problem != null) {
            request.abortWith(Response.fromResponse(ApiErrors.answer(401, problem)).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
        }
    }

    /** Compared as digests, in constant time: neither the content nor the length of the token leaks through timing. */
    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }
}
