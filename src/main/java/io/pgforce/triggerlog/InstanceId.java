package io.pgforce.triggerlog;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This process's name in the writer lease. Unless configured, the host name plus a random
 * suffix: two processes never share it, not even two pods with the same host name or two
 * instances started from the same directory.
 */
@ApplicationScoped
public class InstanceId {

    private final String value;

    @Inject
    InstanceId(@ConfigProperty(name = "pgforce.instance-id") Optional<String> configured) {
        this.value = configured.filter(s -> !s.isBlank()).orElseGet(InstanceId::generated);
    }

    private static String generated() {
        String host = Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElseGet(() -> {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
        return host + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
