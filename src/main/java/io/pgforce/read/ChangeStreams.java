package io.pgforce.read;

import io.pgforce.config.Backoff;
import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.config.RetrySettings;
import io.pgforce.cycle.PostgresLeaseClusterService;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.lang.reflect.Field;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.internal.streaming.SubscriptionHelper;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.jboss.logging.Logger;

/**
 * Accelerated polling: for each mapping with {@code accelerated_polling}, a subscription to its
 * object's change events (route template {@code pgforce-read-stream} in routes/read.yaml, one
 * route per mapping) whose every event marks the mapping to be read at the next tick. An event
 * writes nothing: the read does, by its watermark, so there is one apply path and any number of
 * events within a tick make one read.
 *
 * <p>The routes run on the writer only: the read timer (master:) starts them at its ticks, once
 * the schema is installed, and they stop when this instance stops leading. While a stream is down
 * the mapping is polled at its interval as without it; once subscribed again it is read at once,
 * which covers what the stream missed.
 */
@ApplicationScoped
@Unremovable
@Named("changeStreams")
public class ChangeStreams {

    private static final Logger LOG = Logger.getLogger("io.pgforce.read");
    /** A component of its own: camel-salesforce's consumers refuse lazy login, which the REST and Bulk calls use. */
    static final String COMPONENT = "salesforce-stream";
    static final String TEMPLATE = "pgforce-read-stream";
    /** camel-salesforce keeps its CometD client in a package-private field and tells nobody whether it is subscribed. */
    private static final Field CLIENT = clientField();

    private final CamelContext camel;
    private final ReadSchedule schedule;
    private final PostgresLeaseClusterService cluster;
    private final Backoff backoff;
    private final Duration resubscribe;
    private final Clock clock = Clock.systemUTC();
    /** By table: the mappings with accelerated polling. */
    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private ExecutorService starter;
    private volatile boolean routesAdded;

    @Inject
    ChangeStreams(CamelContext camel, MappingSet mappings, ReadSchedule schedule, PostgresLeaseClusterService cluster, RetrySettings retry,
                  ReadSettings settings) {
        this.camel = camel;
        this.schedule = schedule;
        this.cluster = cluster;
        this.backoff = retry.backoff();
        this.resubscribe = settings.streamResubscribe();
        mappings.mappings().stream().filter(Mapping::acceleratedPolling).forEach(m -> streams.put(m.table(), new Stream(m)));
    }

    void onStart(@Observes StartupEvent event) throws Exception {
        if (!streams.isEmpty()) {
            // a standby keeps no subscription: whoever leads reads, and is told of changes
            cluster.getView(cluster.namespace()).addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> {
                if (leader != null && !leader.isLocal()) {
                    stopAll("this instance no longer writes");
                }
            });
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (starter != null) {
            camel.getExecutorServiceManager().shutdownNow(starter);
        }
    }

    /**
     * At each read tick on the writer: starts the streams not running (in the background, as a
     * start waits for the handshake), and sees which are subscribed.
     */
    public void check() {
        if (streams.isEmpty()) {
            return;
        }
        if (!routesAdded) {
            addRoutes();
        }
        streams.values().forEach(Stream::check);
    }

    /** A change event of the mapping's object arrived: read it at the next tick. */
    public void changed(@ExchangeProperty("pgforceStreamTable") String table) {
        Stream s = streams.get(table);
        if (s != null) {
            schedule.readSoon(s.mapping);
        }
    }

    /** Whether the mapping's change events are subscribed on this instance; null for a mapping without accelerated polling. */
    public Boolean subscribed(String table) {
        Stream s = streams.get(table);
        return s == null ? null : s.subscribed;
    }

    private synchronized void addRoutes() {
        if (routesAdded) {
            return;
        }
        SalesforceComponent rest = camel.getComponent("salesforce", SalesforceComponent.class);
        SalesforceComponent stream = new SalesforceComponent();
        stream.setLoginUrl(rest.getLoginUrl());
        stream.setAuthenticationType(rest.getAuthenticationType());
        stream.setClientId(rest.getClientId());
        stream.setClientSecret(rest.getClientSecret());
        stream.setUserName(rest.getUserName());
        stream.setPassword(rest.getPassword());
        stream.setRefreshToken(rest.getRefreshToken());
        stream.setKeystore(rest.getKeystore());
        stream.setJwtAudience(rest.getJwtAudience());
        stream.setInstanceUrl(rest.getInstanceUrl());
        stream.setLazyLogin(false);
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(rest.getConfig().getApiVersion());
        stream.setConfig(config);
        camel.addComponent(COMPONENT, stream);
        starter = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "pgforce-read-stream");
        for (Stream s : streams.values()) {
            TemplatedRouteBuilder.builder(camel, TEMPLATE).routeId(s.routeId).parameter("table", s.mapping.table())
                    .parameter("topic", s.channel.substring(1)).add();
        }
        routesAdded = true;
    }

    private void stopAll(String why) {
        if (!routesAdded) {
            return;
        }
        starter.submit(() -> streams.values().forEach(s -> s.stop(why)));
    }

    private static Field clientField() {
        try {
            Field f = SubscriptionHelper.class.getDeclaredField("client");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // another camel-salesforce: the stream is never seen subscribed, and the interval reads
        }
    }

    /** One mapping's subscription: its route, and what its CometD client says. */
    private final class Stream {

        final Mapping mapping;
        final String routeId;
        final String channel;
        volatile boolean subscribed;
        private volatile boolean starting;
        private int startFailures;
        private volatile Instant nextStart = Instant.MIN;
        /** The restart of a stream that stays unsubscribed (an object without change events) is said once, until it subscribes. */
        private volatile boolean restartSaid;
        /** Since when the client is connected but the channel not subscribed (camel may not subscribe again after a refused replay id). */
        private Instant unsubscribedSince;
        private BayeuxClient client;
        /** A successful subscribe of the channel since the client's last handshake. */
        private boolean sessionSubscribed;

        Stream(Mapping mapping) {
            this.mapping = mapping;
            this.routeId = TEMPLATE + "-" + mapping.table();
            this.channel = mapping.changeEventChannel();
        }

        void check() {
            ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
            if (status != ServiceStatus.Started) {
                update(null, "its route is " + (status == null ? "not there" : status.name().toLowerCase(Locale.ROOT)));
                if (!starting && !clock.instant().isBefore(nextStart)) {
                    starting = true;
                    starter.submit(this::start);
                }
                return;
            }
            BayeuxClient now = client();
            synchronized (this) {
                if (now != client) {
                    attach(now);
                }
            }
            update(now, now == null ? "no CometD client" : now.isDisconnected() ? "the CometD client is disconnected" : "the CometD client is not connected");
            if (now != null && now.isConnected() && !sessionSubscribed) {
                Instant t = clock.instant();
                if (unsubscribedSince == null) {
                    unsubscribedSince = t;
                } else if (t.isAfter(unsubscribedSince.plus(resubscribe))) {
                    if (!restartSaid) {
                        LOG.warnf("Change events of %s: connected but not subscribed for %s; its stream starts again (every %s until it subscribes)",
                                mapping.object(), resubscribe, resubscribe);
                        restartSaid = true;
                    }
                    unsubscribedSince = null;
                    starting = true;
                    starter.submit(() -> {
                        stop("resubscribing");
                        start();
                    });
                }
            } else {
                unsubscribedSince = null;
            }
        }

        private void start() {
            try {
                camel.getRouteController().startRoute(routeId);
                startFailures = 0;
            } catch (Exception e) {
                Duration wait = backoff.delay(startFailures++);
                nextStart = clock.instant().plus(wait);
                update(null, "it could not start: " + oneLine(e));
            } finally {
                starting = false;
            }
        }

        void stop(String why) {
            try {
                camel.getRouteController().stopRoute(routeId);
            } catch (Exception e) {
                LOG.debugf("The stream of %s did not stop cleanly: %s", mapping.object(), oneLine(e));
            }
            update(null, why);
        }

        private BayeuxClient client() {
            if (CLIENT == null) {
                return null;
            }
            try {
                return (BayeuxClient) CLIENT.get(camel.getComponent(COMPONENT, SalesforceComponent.class).getSubscriptionHelper());
            } catch (Exception e) {
                return null;
            }
        }

        /** A client camel made (it makes one again after a failed handshake): told of its handshakes and subscribes. */
        private void attach(BayeuxClient c) {
            client = c;
            sessionSubscribed = c != null && c.isConnected() && !c.getChannel(channel).getSubscribers().isEmpty();
            if (c == null) {
                return;
            }
            c.getChannel(Channel.META_HANDSHAKE).addListener((ClientSessionChannel.MessageListener) (ch, m) -> told(c, m, false));
            c.getChannel(Channel.META_SUBSCRIBE).addListener((ClientSessionChannel.MessageListener) (ch, m) -> {
                if (channel.equals(m.get(Message.SUBSCRIPTION_FIELD))) {
                    told(c, m, m.isSuccessful());
                }
            });
        }

        private void told(BayeuxClient c, Message m, boolean subscribedNow) {
            synchronized (this) {
                if (c != client) {
                    return;
                }
                sessionSubscribed = subscribedNow; // a handshake begins a session without subscriptions
            }
            update(c, m.isSuccessful() ? "it handshook again" : String.valueOf(m.get(Message.ERROR_FIELD)));
        }

        /** Logs a change of state once; subscribed again, the mapping is read at once to cover the gap. */
        private synchronized void update(BayeuxClient c, String reasonIfDown) {
            boolean now = c != null && c == client && c.isConnected() && sessionSubscribed;
            if (now == subscribed) {
                return;
            }
            subscribed = now;
            if (now) {
                restartSaid = false;
                LOG.infof("Change events of %s are subscribed (%s): it is read at each change", mapping.object(), channel);
                schedule.readSoon(mapping);
            } else {
                LOG.warnf("Change events of %s are not subscribed (%s): it is polled at its interval until they are", mapping.object(), reasonIfDown);
            }
        }
    }

    private static String oneLine(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().lines().findFirst().orElse("").strip();
            }
        }
        return failure.getClass().getSimpleName();
    }
}
