-- A mapping's table and its indexes (SchemaDdl.mappingTable); its capture is capture.sql. Each is
-- idempotent: nothing here drops or changes what is there. Placeholders:
--   ${table}           the mapping table, schema-qualified and quoted
--   ${systemColumns}   the system columns after id (SchemaDdl.SYSTEM_COLUMNS)
--   ${index}           the index's name, quoted (cut to the 63 bytes Postgres keeps)
--   ${column}          the unique identifier's column, quoted

-- name: mapping-table
CREATE TABLE IF NOT EXISTS ${table} (id serial PRIMARY KEY, ${systemColumns})

-- hcu_idx_<table>_sfid
-- name: sfid-index
CREATE UNIQUE INDEX IF NOT EXISTS ${index} ON ${table} (sfid)

-- hc_idx_<table>_systemmodstamp
-- name: systemmodstamp-index
CREATE INDEX IF NOT EXISTS ${index} ON ${table} (systemmodstamp)

-- hcu_idx_<table>_<column>, when the mapping has a unique identifier
-- name: unique-identifier-index
CREATE UNIQUE INDEX IF NOT EXISTS ${index} ON ${table} (${column})
