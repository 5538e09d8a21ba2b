package io.pgforce.config;

import io.smallrye.config.ConfigMapping;

/** {@code pgforce.notify.*} as beans read it: the channel (the webhook's retries and the listener's reconnect delay are the routes'). */
@ConfigMapping(prefix = "pgforce.notify")
public interface NotifySettings {

    /** The channel pgforce's capture notifies and its listener listens on. */
    String channel();
}
