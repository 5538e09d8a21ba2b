package io.pgforce.admin.diagnose;

import io.pgforce.admin.health.HealthSettings;
import io.pgforce.config.Identifiers;
import io.pgforce.config.MappingSet;
import io.pgforce.connection.ConnectionStatus;
import io.pgforce.cycle.PollSettings;
import io.pgforce.database.ListenerPresence;
import io.pgforce.triggerlog.TriggerLogStatistics;
import io.pgforce.triggerlog.TriggerLogState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** How the running connection is doing: its state, the notification listener, the backlog's age. */
@ApplicationScoped
class RuntimeChecks {

    private static final String SCOPE = Check.CONNECTION;

    private final ConnectionStatus status;
    private final ListenerPresence listener;
    private final TriggerLogStatistics triggerLog;
    private final MappingSet mappings;
    private final Duration maxBacklogAge;
    private final Duration pollInterval;

    @Inject
    RuntimeChecks(ConnectionStatus status, ListenerPresence listener, TriggerLogStatistics triggerLog, MappingSet mappings,
                  HealthSettings health, PollSettings poll) {
        this.status = status;
        this.listener = listener;
        this.triggerLog = triggerLog;
        this.mappings = mappings;
        this.maxBacklogAge = health.maxBacklogAge();
        this.pollInterval = poll.interval();
    }

    List<Check> run() {
        return List.of(connectionState(), listener(), backlogAge(), unreadableChanges(), unknownStates());
    }

    /** How many waiting changes diagnose reads: a taken-over backlog's first rows, which show whether its format is read. */
    private static final int READ_AT_MOST = 100_000;

    private Check unreadableChanges() {
        try {
            TriggerLogStatistics.Unreadable found = triggerLog.unreadableWaiting(mappings, READ_AT_MOST);
            String read = "of the first " + found.read() + " change(s) waiting";
            if (found.found() == 0) {
                return Check.green(SCOPE, "unreadable-changes", "pgforce reads every one " + read);
            }
            return Check.red(SCOPE, "unreadable-changes", found.found() + " " + read + " cannot be read; each fails alone when its turn comes: "
                    + String.join("; ", found.first()),
                    "Correct the row's values (Heroku Connect's hstore text or pgforce's JSON), or set its state to IGNORED");
        } catch (SQLException e) {
            return unreadable("unreadable-changes", e);
        }
    }

    private Check unknownStates() {
        try {
            Map<String, Long> unknown = triggerLog.unknownStates();
            if (unknown.isEmpty()) {
                return Check.green(SCOPE, "unknown-states", "every trigger-log row is in a state pgforce knows");
            }
            return Check.yellow(SCOPE, "unknown-states", "trigger-log rows in states pgforce does not know, left alone (never claimed, archived or changed): "
                    + unknown.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                    "Set them to NEW to send them, or IGNORED to drop them, as they were meant");
        } catch (SQLException e) {
            return unreadable("unknown-states", e);
        }
    }

    private Check connectionState() {
        if (status.state().problem()) {
            return Check.red(SCOPE, "connection-state", "the connection is " + status.state() + ": " + status.reason(),
                    "Follow the reason; pgforce retries by itself and writes what waits once it gets through");
        }
        return Check.green(SCOPE, "connection-state", "the connection is " + status.state());
    }

    private Check listener() {
        String since = listener.lastConnected().map(t -> " (connected at " + t.truncatedTo(ChronoUnit.SECONDS) + ")").orElse("");
        try {
            if (listener.listening()) {
                return Check.green(SCOPE, "listener", "the notification listener is listening on " + listener.channel() + since);
            }
            return Check.yellow(SCOPE, "listener", "no session listens on " + listener.channel() + ": changes are only picked up by the timer, every "
                    + human(pollInterval) + ", until the listener reconnects" + since,
                    "Check the database's connection limit (max_connections) and the log of route pgforce-notify-listener");
        } catch (SQLException e) {
            return unreadable("listener", e);
        }
    }

    private Check backlogAge() {
        try {
            Optional<Duration> age = triggerLog.oldestNewAge();
            if (age.isEmpty()) {
                return Check.green(SCOPE, "backlog-age", "no change waits to be sent");
            }
            String found = "the oldest change waiting to be sent is " + human(age.get()) + " old";
            if (age.get().compareTo(maxBacklogAge) > 0) {
                String log = Identifiers.qualified(mappings.connection().schema(), "_trigger_log");
                return Check.red(SCOPE, "backlog-age", found + ", more than pgforce.health.max-backlog-age (" + human(maxBacklogAge) + ")",
                        "See the connection state, and why changes wait: SELECT id, table_name, action, sf_message FROM " + log
                                + " WHERE state = '" + TriggerLogState.NEW.name() + "' ORDER BY id LIMIT 20");
            }
            return Check.green(SCOPE, "backlog-age", found + " (at most " + human(maxBacklogAge) + ")");
        } catch (SQLException e) {
            return unreadable("backlog-age", e);
        }
    }

    private static Check unreadable(String check, SQLException e) {
        return Check.red(SCOPE, check, "cannot ask the database: " + e.getMessage(), "Check that the database is up and pgforce.db.* point at it");
    }

    /** {@code 1h5m}, {@code 15m}, {@code 42s}. */
    static String human(Duration d) {
        return d.truncatedTo(ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
