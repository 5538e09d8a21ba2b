package io.pgforce.admin.jmx;

import io.pgforce.config.Mapping;
import io.pgforce.read.MappingReload;
import io.pgforce.read.ReadState;
import io.pgforce.read.ReadStatistics;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;

/** One mapping's read MBean: each attribute read from the state table when asked; {@link ReadMBeanRegistration} registers one per mapping. */
final class MappingReadMBean implements MappingReadMXBean {

    private static final String BY = "JMX";

    private final Mapping mapping;
    private final ReadStatistics statistics;
    private final MappingReload reload;

    MappingReadMBean(Mapping mapping, ReadStatistics statistics, MappingReload reload) {
        this.mapping = mapping;
        this.statistics = statistics;
        this.reload = reload;
    }

    private Optional<ReadState> state() {
        try {
            return Optional.ofNullable(statistics.perTable().get(mapping.table()));
        } catch (SQLException e) {
            throw ConnectionMBeanRegistration.unavailable(e);
        }
    }

    /** An attribute's text; empty when there is no state or no value. */
    private String text(Function<ReadState, Object> value) {
        return state().map(value).map(String::valueOf).orElse("");
    }

    private long count(Function<ReadState, Long> value) {
        return state().map(value).orElse(0L);
    }

    @Override
    public String getObject() {
        return mapping.object();
    }

    @Override
    public String getTable() {
        return mapping.table();
    }

    @Override
    public String getPhase() {
        return text(ReadState::phase);
    }

    @Override
    public String getWatermark() {
        return text(ReadState::watermark);
    }

    @Override
    public double getLagSeconds() {
        return state().map(ReadState::lagSeconds).orElse(-1.0);
    }

    @Override
    public String getLastPollStarted() {
        return text(ReadState::lastPollStarted);
    }

    @Override
    public String getLastPollEnded() {
        return text(ReadState::lastPollEnded);
    }

    @Override
    public String getLastError() {
        return text(ReadState::lastError);
    }

    @Override
    public long getRecordsApplied() {
        return count(ReadState::recordsApplied);
    }

    @Override
    public long getRecordsFailed() {
        return count(ReadState::recordsFailed);
    }

    @Override
    public long getApiCalls() {
        return count(ReadState::apiCalls);
    }

    @Override
    public long getLastPollApiCalls() {
        return count(ReadState::lastPollApiCalls);
    }

    @Override
    public long getLoadApiCalls() {
        return count(ReadState::loadApiCalls);
    }

    @Override
    public void reload() {
        try {
            reload.reload(mapping.table(), BY);
        } catch (SQLException e) {
            throw ConnectionMBeanRegistration.unavailable(e);
        }
    }
}
