-- The trigger log's transitions (io.pgforce.triggerlog: Claims, Settler, OperatorActions,
-- Housekeeping), each file theirs, and here the pieces they share (FencedLog). Every statement that
-- changes the log is fenced on the writer lease: it changes rows only while this instance holds
-- the lease, and locks the lease row so that no other instance takes it over until it commits.
-- Placeholders, filled in once per schema (FencedLog), in every trigger-log-*.sql:
--   ${log}, ${archive}          _trigger_log, _trigger_log_archive, schema-qualified and quoted
--   ${writer}, ${connection}    _hc_writer (the lease), _hc_connection (an operator's pause), likewise
--   ${NEW}, ${PENDING}, ...     each state of TriggerLogState as a literal ('NEW'), the one place their names live
--   ${PROCESSED}, ${QUEUED}     TriggerLogState's sets of states, as a list of literals
--   ${lease}, ${fence}          the pieces below, filled
-- Other placeholders are the file's own, listed above the statement.
--
-- A statement that reaches log rows by their id (or record) compares their state with a subquery,
-- "state = (SELECT 'PENDING')" (or "= ANY ((SELECT ARRAY[...])::text[])"): a value the planner does not
-- know, so it plans the lookup by id or record, not through an index on state.
-- Right after a burst of changes its statistics say no row is PENDING (autovacuum analyzes the
-- log a minute later at best); planned from them, a settle of 200 changes read all 5,000 PENDING
-- rows 200 times (SettlePlanTest).

-- The lease row while this instance holds it (the parameter: its owner); FOR SHARE keeps another
-- instance from taking the lease over until the statement's transaction commits
-- name: lease
SELECT 1 FROM ${writer} AS w WHERE w.id = 1 AND w.owner = ? AND w.expires_at > now() FOR SHARE OF w

-- name: fence
EXISTS (${lease})
