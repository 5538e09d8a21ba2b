-- Applying a page of records read from Salesforce to its mapping table (io.pgforce.read.PageApply),
-- in one transaction with the read's new watermark (read-state.sql) and fenced on the writer lease
-- (trigger-log.sql's lease). pgforce's sessions are not captured (xmlbinary = hex): nothing written
-- here reaches the trigger log. Placeholders:
--   ${table}, ${name}    the mapping table, schema-qualified and quoted; its name as a literal
--   ${log}               the trigger log, schema-qualified and quoted
--   ${queued}            the states of a change not yet written, as literals ('NEW', 'PENDING')
--   ${unique}            the unique identifier's column as r's, quoted (NULL when the mapping has none)
--   ${uniqueType}        its type (text when there is none)
--   ${arrays}, ${names}  per column written: a text array parameter; its alias in v (c0, c1, ...)
--   ${columns}           the columns written, quoted
--   ${assignments}, ${current}, ${incoming}
--                        the pieces assignment, current and incoming, one a column, joined by commas

-- The table's columns and their types as the catalog has them, which the values are converted to
-- (a table Heroku Connect laid out keeps its own types) (parameter: the table, qualified and quoted)
-- name: columns
SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a
WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped

-- The rows the page's records may land on, locked in id order: an application transaction that
-- writes one of them ends first, so that the change it logged is seen by the next statement; also
-- the rows that hold a record's unique identifier value (parameters: the records' Ids, their
-- unique identifier values)
-- name: lock-rows
SELECT r.id, r.sfid, ${unique}::text FROM ${table} AS r
WHERE r.sfid = ANY(?::text[]) OR ${unique} = ANY(?::text[]::${uniqueType}[])
ORDER BY r.id FOR UPDATE OF r

-- Rows a Salesforce state must not overwrite: with a change not yet written, or written since the
-- read's query was sent (the page is older than the row); and records whose row is gone with a
-- delete not yet written, or written since the query was sent (the page still has the record
-- alive) (parameters: the row ids, when the read began, the records' Ids twice, when the read began)
-- name: held
SELECT l.record_id, NULL::varchar AS sfid FROM ${log} AS l
WHERE l.table_name = ${name} AND l.record_id = ANY(?::integer[]) AND (l.state IN (${queued}) OR l.processed_at >= ?)
UNION ALL
SELECT NULL, l.sfid FROM ${log} AS l
WHERE l.table_name = ${name} AND l.state IN (${queued}) AND l.sfid = ANY(?::text[])
UNION ALL
SELECT NULL, l.sfid FROM ${log} AS l
WHERE l.action = 'DELETE' AND l.sfid = ANY(?::text[]) AND l.table_name = ${name} AND l.processed_at >= ?

-- A mapping without a unique identifier cannot tell the record an insert created from a new one
-- until the insert's answer brings its Id: the earliest send of an insert still waiting for it
-- name: inserts-in-flight
SELECT min(l.sent_at) FROM ${log} AS l
WHERE l.table_name = ${name} AND l.action = 'INSERT' AND l.state IN (${queued}) AND l.sent_at IS NOT NULL

-- records deleted in Salesforce (parameter: the row ids)
-- name: delete-rows
DELETE FROM ${table} WHERE id = ANY(?::integer[])

-- each row to its record's values, unless it holds them already: a record read again in the
-- overlap changes nothing (parameters: the row ids, then a text array a column)
-- name: update-rows
UPDATE ${table} AS r SET ${assignments}, _hc_lastop = 'SYNCED', _hc_err = NULL
FROM unnest(?::integer[], ${arrays}) AS v(id, ${names})
WHERE r.id = v.id AND (${current}, r._hc_lastop, r._hc_err) IS DISTINCT FROM (${incoming}, 'SYNCED', NULL)

-- records new to the table; one whose sfid or unique identifier another transaction wrote
-- meanwhile is not inserted, and is not returned (parameters: a text array a column)
-- name: insert-rows
INSERT INTO ${table} (${columns}, _hc_lastop, _hc_err)
SELECT ${incoming}, 'SYNCED', NULL FROM unnest(${arrays}) AS v(${names})
ON CONFLICT DO NOTHING
RETURNING sfid

-- The pieces, per column: ${column} quoted, ${alias} its alias in v, ${type} its type as the catalog
-- writes it (the text converted in Java is cast to it)
-- name: assignment
${column} = v.${alias}::${type}

-- name: current
r.${column}

-- name: incoming
v.${alias}::${type}
