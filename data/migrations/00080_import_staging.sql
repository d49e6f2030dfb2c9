-- 00080_import_staging: the schema an import builds the new dataset in
-- (issue 11, Speed; data/import_stage.go). Inside the import's
-- transaction each dataset table is created here bare (columns, defaults,
-- CHECK constraints copied from the live table with LIKE), loaded with
-- COPY, given its keys and indexes in one pass each, then swapped for the
-- live table just before the commit. It holds nothing between imports.

-- +goose Up
CREATE SCHEMA parkplan_import;

-- +goose Down
DROP SCHEMA parkplan_import;
