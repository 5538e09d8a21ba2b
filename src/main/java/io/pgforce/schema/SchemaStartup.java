package io.pgforce.schema;

import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionState;
import io.pgforce.connection.ConnectionStatus;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * Lays out the schema before the first cycle claims anything. It is tried once start-up has
 * checked the mappings against the org's describe (see DescribeCheck, which observes the start
 * before this): a mapping the org refuses stops start-up before anything is created for it. If
 * the org could not be asked, the schema is installed all the same, so that capture goes on, and
 * every cycle checks the mappings again before it writes. A database that is down does not stop
 * start-up: the writer lease's beat and every cycle begin with {@link #ensureInstalled()}, which
 * fails (and is retried, see CycleControl) until the database is back.
 * <p>
 * A schema Heroku Connect laid out is adopted at start only under {@code pgforce.schema.adopt=true};
 * otherwise pgforce waits in NOT_ADOPTED, changing nothing, until an operator adopts it through
 * the admin API ({@code pgforce adopt}).
 */
@ApplicationScoped
@Unremovable
@Named("schemaStartup")
public class SchemaStartup {

    private final DataSource dataSource;
    private final MappingSet mappings;
    private final ConnectionStatus status;
    private final Duration lockTimeout;
    /** pgforce.schema.adopt, until a release: then this process adopts again only when told. */
    private volatile boolean adoptWhenNeeded;
    private volatile boolean checked;
    private volatile boolean installed;

    @Inject
    SchemaStartup(@Named("pgforceDataSource") DataSource dataSource, MappingSet mappings, ConnectionStatus status,
                  SchemaSettings settings) {
        this.adoptWhenNeeded = settings.adopt();
        this.dataSource = dataSource;
        this.mappings = mappings;
        this.status = status;
        this.lockTimeout = settings.lockTimeout();
    }

    /** After DescribeCheck (default priority), before CycleControl lets the cycles run. */
    void installAtStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 750) StartupEvent event) {
        try {
            install(adoptWhenNeeded);
        } catch (RuntimeException e) {
            ConnectionState state = ConnectionStatus.stateFor(e);
            if (state != ConnectionState.DB_UNAVAILABLE && state != ConnectionState.NOT_ADOPTED) {
                throw e; // a mistake stops start-up with its one line, before anyone else tries (the lease's beat waits for this)
            }
            status.failed(e);
        }
        checked = true;
    }

    /** Whether start-up's describe check and its own install attempt are behind us: nothing else may install before. */
    public boolean mayInstall() {
        return checked;
    }

    /**
     * Whether this process has installed (or adopted) the schema and not released it since: the read
     * side writes to the mapping tables only then (routes/read.yaml).
     */
    public boolean isInstalled() {
        return installed;
    }

    /** Installs the schema unless this process already has. */
    public void ensureInstalled() {
        if (!checked) {
            throw new IllegalStateException("the schema is installed only after start-up has checked the mappings against the org");
        }
        install(adoptWhenNeeded); // the database may have been away at start
    }

    /** What adopting the schema changes, a line each; nothing is changed. */
    public List<String> adoptionPlan() {
        return SchemaInstaller.plan(dataSource, mappings);
    }

    /** Adopts a schema Heroku Connect laid out (on one already pgforce's, installs what is missing); the next cycle writes its backlog. */
    public synchronized List<String> adopt() {
        List<String> plan = SchemaInstaller.plan(dataSource, mappings);
        installed = false;
        install(true);
        return plan;
    }

    /** Puts Heroku Connect's capture back (see SchemaInstaller.release); pgforce then waits in NOT_ADOPTED, writing nothing. */
    public synchronized List<String> release(boolean dryRun) {
        List<String> lines = SchemaInstaller.release(dataSource, mappings, lockTimeout, dryRun);
        if (!dryRun) {
            adoptWhenNeeded = false;
            installed = false;
        }
        return lines;
    }

    private synchronized void install(boolean adopt) {
        if (!installed) {
            if (adopt) {
                SchemaInstaller.adopt(dataSource, mappings, lockTimeout);
            } else {
                SchemaInstaller.install(dataSource, mappings, lockTimeout);
            }
            installed = true;
        }
    }
}
