-- 00031_check_notify: the saved checks' tables (00020) feed the feature
-- layers violations and check-{id}.violations (H10, docs/api.md), so a
-- change to them sends NOTIFY parkplan_features like the tables of 00030:
-- saving a check (one insert per table, in one transaction) drops the API's
-- feature cache once it commits. Statement-level, with 00030's function.

-- +goose Up
CREATE TRIGGER quota_check_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON quota_check
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER quota_check_violation_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON quota_check_violation
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();

-- +goose Down
DROP TRIGGER quota_check_violation_notify_features ON quota_check_violation;
DROP TRIGGER quota_check_notify_features ON quota_check;
