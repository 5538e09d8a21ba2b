package io.pgforce.database;

import com.impossibl.postgres.api.jdbc.PGConnection;
import com.impossibl.postgres.api.jdbc.PGNotificationListener;
import io.quarkus.runtime.annotations.RegisterForProxy;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The listener's data source. camel-pgevent opens a connection at start and again after every
 * drop; each connection is reported so that a rescan covers changes made while nobody listened.
 * It is reported once it listens (camel-pgevent's LISTEN, then its notification listener), not when
 * it is handed out: a change committed between a rescan woken earlier and the LISTEN would be
 * heard by nobody and wait for the poll timer.
 * <p>
 * Two faults of camel-pgevent (4.17) are kept out here. Its reconnect, started from the driver's
 * {@code closed()} callback, never ends: it asks for a connection again every
 * {@code reconnectDelay}, also after it got one. So while the connection handed out last is open,
 * it is handed out again rather than a new one opened (the loop then only repeats its LISTEN), and
 * once it is gone the loop's next turn opens the new one. And {@code closed()} waits for that
 * reconnect on one of pgjdbc-ng's few I/O threads, which take new connections in turn: a connection
 * landing on the waiting thread never completes, and the listener (and shutdown) hang for good. So
 * the connections handed out report {@code closed()} on a thread of their own, from Camel's
 * executor manager (stopped with Camel).
 */
@RegisterForProxy(targets = PGConnection.class) // the native image builds the proxy ahead of time
final class ListenerDataSource implements DataSource {

    private final DataSource delegate;
    private final Runnable onListening;
    private final Executor closedReports;
    private Connection current;

    ListenerDataSource(DataSource delegate, Runnable onListening, Executor closedReports) {
        this.delegate = delegate;
        this.onListening = onListening;
        this.closedReports = closedReports;
    }

    @Override
    public synchronized Connection getConnection() throws SQLException {
        if (current != null && !current.isClosed()) {
            return current;
        }
        current = closedOffTheIoThread(delegate.getConnection());
        return current;
    }

    /** Not the listener's way in: camel-pgevent asks without credentials. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the listener's connection comes with the data source's credentials");
    }

    private Connection closedOffTheIoThread(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        return (Connection) Proxy.newProxyInstance(ListenerDataSource.class.getClassLoader(), new Class<?>[] {PGConnection.class},
                new ListenerHandOff(pg, closedReports, onListening));
    }

    /**
     * A pgjdbc-ng connection whose notification listeners hear {@code closed()} on a thread of their own,
     * and that reports itself when its first notification listener is in place.
     */
    private static final class ListenerHandOff implements InvocationHandler {

        private final PGConnection connection;
        private final Executor closedReports;
        private final Runnable onListening;
        private final Map<PGNotificationListener, PGNotificationListener> wrapped = new IdentityHashMap<>();
        private boolean listening;

        ListenerHandOff(PGConnection connection, Executor closedReports, Runnable onListening) {
            this.connection = connection;
            this.closedReports = closedReports;
            this.onListening = onListening;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "unwrap":
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return proxy;
                    }
                    break;
                case "isWrapperFor":
                    if (((Class<?>) args[0]).isInstance(proxy)) {
                        return true;
                    }
                    break;
                case "addNotificationListener":
                case "removeNotificationListener":
                    swapListener(method.getName().startsWith("add"), args);
                    break;
                default:
                    break;
            }
            Object result;
            try {
                result = method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (method.getName().equals("addNotificationListener") && firstListener()) {
                onListening.run();
            }
            return result;
        }

        /** camel-pgevent's reconnect loop adds its listener again on the same connection: reported once. */
        private synchronized boolean firstListener() {
            boolean first = !listening;
            listening = true;
            return first;
        }

        private synchronized void swapListener(boolean add, Object[] args) {
            int last = args.length - 1;
            if (args[last] instanceof PGNotificationListener listener) {
                PGNotificationListener handOff = add ? wrapped.computeIfAbsent(listener, l -> new HandOff(l, closedReports)) : wrapped.remove(listener);
                args[last] = handOff == null ? listener : handOff;
            }
        }
    }

    private record HandOff(PGNotificationListener listener, Executor closedReports) implements PGNotificationListener {

        @Override
        public void notification(int processId, String channelName, String payload) {
            listener.notification(processId, channelName, payload);
        }

        @Override
        public void closed() {
            closedReports.execute(listener::closed);
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
