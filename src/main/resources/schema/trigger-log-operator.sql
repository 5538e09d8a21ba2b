-- An operator's word (OperatorActions): resubmitting or silencing write errors. Not fenced: like
-- the user's own SQL, any replica may take it. Each statement is followed by the pieces of the
-- operator's selection: of-table, of-ids, either or both (parameters: the table's name, the ids).
-- Placeholders: those of trigger-log.sql, and
--   ${from}                      ${log} or ${archive}

-- name: retry
UPDATE ${log} SET state = ${NEW}, updated_at = clock_timestamp(), processed_at = NULL WHERE state = ${FAILED}

-- name: retry-archived
UPDATE ${archive} SET state = ${REQUEUE}, updated_at = clock_timestamp() WHERE state = ${FAILED}

-- name: ignore
UPDATE ${from} SET state = ${IGNORED}, updated_at = clock_timestamp() WHERE state = ${FAILED}

-- name: of-table
AND table_name = ?

-- name: of-ids
AND id = ANY (?)
