package io.pgforce.admin.jmx;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** pgforce's MBeans in the platform MBean server, where Camel JMX registers its own. */
final class PlatformMBeans {

    private PlatformMBeans() {
    }

    static void register(Object mbean, ObjectName name) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name); // a restarted application in the same JVM (tests)
        }
        server.registerMBean(mbean, name);
    }

    static void unregister(ObjectName name) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }
}
