package io.pgforce.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.ConfigValue;
import org.jboss.logging.Logger;

/** Says once at start-up which route files run and why those (see {@link RoutesConfigSourceFactory}). */
@ApplicationScoped
public class RoutesOrigin {

    private static final Logger LOG = Logger.getLogger(RoutesOrigin.class);

    void log(@Observes StartupEvent started) {
        ConfigValue pattern = ConfigProvider.getConfig().getConfigValue(RoutesConfigSourceFactory.PATTERN);
        LOG.infof("Routes from %s (%s)", pattern.getValue(), pattern.getSourceName());
    }
}
