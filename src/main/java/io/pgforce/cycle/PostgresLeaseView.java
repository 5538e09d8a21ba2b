package io.pgforce.cycle;

import io.pgforce.config.Backoff;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.schema.SchemaStartup;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;

/**
 * The writer namespace as Camel sees it. Its own timer is the lease's one heartbeat: the leader
 * renews the lease once a third of its lifetime has passed; a standby tries to take it every
 * {@code pgforce.cluster.standby-check} and just after the holder's lease ends, so it leads
 * within the lease lifetime of a writer that died. Leadership events go out whenever the holder
 * changes (and once after the first beat), which is what starts and stops the master: consumers.
 * The schema is installed before the first attempt, because the lease row lives in it and the
 * database may have been down at start-up; no attempt is made before start-up has checked the
 * mappings against the org (see SchemaStartup). A beat the database refuses counts as not leading
 * (the lease cannot be renewed either) and is retried with the writer's back-off.
 */
final class PostgresLeaseView extends AbstractCamelClusterView {

    private static final long UNTIL_STARTED_MILLIS = 100;

    private final WriterLease lease;
    private final SchemaStartup schema;
    private final ConnectionStatus status;
    private final long standbyCheckMillis;
    private final Backoff backoff;
    private final CamelClusterMember local = new Member(null);
    private ScheduledExecutorService beats;
    private volatile boolean leader;
    private volatile String holder;
    private boolean announced;
    private int failuresInARow;

    PostgresLeaseView(CamelClusterService service, String namespace, WriterLease lease, SchemaStartup schema, ConnectionStatus status,
                      long standbyCheckMillis, Backoff backoff) {
        super(service, namespace);
        this.lease = lease;
        this.schema = schema;
        this.status = status;
        this.standbyCheckMillis = standbyCheckMillis;
        this.backoff = backoff;
    }

    @Override
    protected void doStart() {
        announced = false;
        beats = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "pgforce-writer-lease");
        beats.execute(this::beat);
    }

    @Override
    protected void doStop() {
        getCamelContext().getExecutorServiceManager().shutdownNow(beats);
    }

    private void beat() {
        if (!schema.mayInstall()) {
            // the lease row lives in the schema, which start-up installs only once the org has had its say
            beats.schedule(this::beat, UNTIL_STARTED_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        boolean nowLeader;
        long delay;
        try {
            schema.ensureInstalled();
            nowLeader = lease.contend();
            delay = nowLeader ? lease.millisUntilNextBeat() : Math.min(standbyCheckMillis, lease.millisUntilNextBeat());
            failuresInARow = 0;
        } catch (SQLException | RuntimeException e) {
            nowLeader = false;
            status.failed(e);
            delay = backoff.delayMillis(failuresInARow++);
        }
        String nowHolder = nowLeader ? lease.owner() : lease.holder().orElse(null);
        boolean changed = !announced || nowLeader != leader || !Objects.equals(nowHolder, holder);
        leader = nowLeader;
        holder = nowHolder;
        announced = true;
        if (changed) {
            fireLeadershipChangedEvent(getLeader());
        }
        if (isRunAllowed()) {
            beats.schedule(this::beat, delay, TimeUnit.MILLISECONDS);
        }
    }

    boolean isLeader() {
        return leader;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (leader) {
            return Optional.of(local);
        }
        return Optional.ofNullable(holder).map(Member::new);
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        List<CamelClusterMember> members = new ArrayList<>();
        members.add(local);
        getLeader().filter(m -> !m.isLocal()).ifPresent(members::add);
        return members;
    }

    /** This instance (no id given: it leads while it holds the lease), or the holder another instance is. */
    private final class Member implements CamelClusterMember {
        private final String remoteId;

        Member(String remoteId) {
            this.remoteId = remoteId;
        }

        @Override
        public boolean isLeader() {
            return remoteId != null || leader;
        }

        @Override
        public boolean isLocal() {
            return remoteId == null;
        }

        @Override
        public String getId() {
            return remoteId != null ? remoteId : lease.owner();
        }
    }
}
