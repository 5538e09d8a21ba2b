package io.pgforce.simulator;

import java.security.PublicKey;

/**
 * Who may log in: one connected app (client id and secret, and for the JWT bearer flow the public
 * key of its certificate) and one integration user.
 *
 * @param jwtKey the certificate's public key, or null when the JWT flow is not configured
 */
public record Credentials(String clientId, String clientSecret, String username, String password, PublicKey jwtKey) {

    public static final Credentials DEFAULT = new Credentials("pgforce-simulator", "simulator-secret", "integration@pgforce.example", "simulator", null);

    public Credentials withJwtKey(PublicKey key) {
        return new Credentials(clientId, clientSecret, username, password, key);
    }
}
