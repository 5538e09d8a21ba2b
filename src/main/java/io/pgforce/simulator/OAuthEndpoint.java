package io.pgforce.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code /services/oauth2/token} with the password, client credentials and JWT bearer grants,
 * and {@code /services/oauth2/revoke}, answering as Salesforce does.
 */
final class OAuthEndpoint {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final SimulatorContext ctx;
    private final Clock clock;

    OAuthEndpoint(SimulatorContext ctx, Clock clock) {
        this.ctx = ctx;
        this.clock = clock;
    }

    void handle(HttpExchange ex, String path) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            HttpIo.empty(ex, 405);
            return;
        }
        Map<String, String> form = HttpIo.params(HttpIo.bodyText(ex));
        if (path.endsWith("/revoke")) {
            ctx.sessions().revoke(form.get("token"));
            ctx.log("OAUTH", "revoke", 0, "OK");
            HttpIo.empty(ex, 200);
            return;
        }
        String grant = form.getOrDefault("grant_type", "");
        Credentials c = ctx.credentials();
        String problem = switch (grant) {
            case "password" -> !c.clientId().equals(form.get("client_id")) || !c.clientSecret().equals(form.get("client_secret")) ? "invalid_client"
                    : c.username().equals(form.get("username")) && passwordMatches(form.get("password")) ? null : "invalid_grant";
            case "client_credentials" -> c.clientId().equals(form.get("client_id")) && c.clientSecret().equals(form.get("client_secret")) ? null : "invalid_client";
            case JWT_BEARER -> jwtProblem(form.get("assertion"));
            default -> "unsupported_grant_type";
        };
        if (problem == null && ctx.faults().refusingLogins()) {
            problem = "invalid_grant"; // the credentials stopped working: a changed password, a revoked app
        }
        if (problem != null) {
            ctx.log("OAUTH", "token", 0, problem);
            HttpIo.json(ex, 400, Map.of("error", problem, "error_description", switch (problem) {
                case "invalid_client" -> "invalid client credentials";
                case "unsupported_grant_type" -> "grant type not supported";
                default -> "authentication failure";
            }));
            return;
        }
        try {
            ctx.faults().loginGate().pass();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while holding a login", e);
        }
        String token = ctx.sessions().issue();
        String issuedAt = Long.toString(clock.millis());
        String id = ctx.instanceUrl() + "/id/" + ctx.org().orgId() + "/" + ctx.org().userId();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("instance_url", ctx.instanceUrl());
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        body.put("signature", signature(id + issuedAt, c.clientSecret()));
        body.put("scope", "api");
        ctx.log("OAUTH", "token", 0, "OK");
        HttpIo.json(ex, 200, body);
    }

    /** Salesforce accepts the password followed by the user's security token; the simulator has none, so both forms match. */
    private boolean passwordMatches(String given) {
        return given != null && given.startsWith(ctx.credentials().password());
    }

    private String jwtProblem(String assertion) {
        Credentials c = ctx.credentials();
        if (c.jwtKey() == null || assertion == null) {
            return "invalid_grant";
        }
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return "invalid_grant";
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(c.jwtKey());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "invalid_grant";
            }
            JsonNode claims = HttpIo.JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            long exp = claims.path("exp").asLong(0); // camel-salesforce sends exp as a string of seconds
            boolean audienceOk = claims.path("aud").asText("").startsWith("http");
            return c.clientId().equals(claims.path("iss").asText()) && c.username().equals(claims.path("sub").asText()) && audienceOk
                    && exp * 1000 > clock.millis() ? null : "invalid_grant";
        } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
            return "invalid_grant";
        }
    }

    private static String signature(String data, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
