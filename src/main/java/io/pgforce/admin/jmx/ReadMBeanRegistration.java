package io.pgforce.admin.jmx;

import io.pgforce.config.Mapping;
import io.pgforce.config.MappingSet;
import io.pgforce.read.MappingReload;
import io.pgforce.read.ReadStatistics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * Registers each mapping's read MBean, {@code pgforce:type=Read,name=<schema>,mapping=<table>}, at
 * start-up beside the connection's, and removes them at shutdown.
 */
@ApplicationScoped
public class ReadMBeanRegistration {

    private final Map<ObjectName, MappingReadMBean> mbeans = new LinkedHashMap<>();

    ReadMBeanRegistration(MappingSet mappings, ReadStatistics statistics, MappingReload reload) throws JMException {
        for (Mapping m : mappings.mappings()) {
            // schema and table are validated SQL identifiers: nothing to quote
            mbeans.put(new ObjectName("pgforce:type=Read,name=" + mappings.connection().schema() + ",mapping=" + m.table()),
                    new MappingReadMBean(m, statistics, reload));
        }
    }

    void register(@Observes StartupEvent event) throws JMException {
        for (Map.Entry<ObjectName, MappingReadMBean> e : mbeans.entrySet()) {
            PlatformMBeans.register(e.getValue(), e.getKey());
        }
    }

    void unregister(@Observes ShutdownEvent event) throws JMException {
        for (ObjectName name : mbeans.keySet()) {
            PlatformMBeans.unregister(name);
        }
    }
}
