package io.pgforce.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request to the admin API whose body is over Quarkus' limit ({@code quarkus.http.limits.max-body-size})
 * gets the API's one JSON line, like every other refusal; Quarkus' own check answers a bare 413.
 * It runs before that check, on the declared length, so nothing of the body is read.
 */
@ApplicationScoped
class ApiBodyLimit {

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize limit)
            throws JsonProcessingException {
        long max = limit.asLongValue();
        String answer = new ObjectMapper().writeValueAsString(
                ApiError.of("the request body is larger than " + max + " bytes (quarkus.http.limits.max-body-size)"));
        router.route("/api/*").order(-10).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && length.chars().allMatch(Character::isDigit) && (length.length() > 18 || Long.parseLong(length) > max)) {
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close").end(answer);
                return;
            }
            ctx.next();
        });
    }
}
