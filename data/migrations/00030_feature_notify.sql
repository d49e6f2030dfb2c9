-- 00030_feature_notify: every change to a table a feature layer reads
-- sends NOTIFY parkplan_features (payload: the table), delivered when the
-- changing transaction commits (H5, docs/api.md). The API's feature cache
-- listens and drops what it holds, so a cached page is never older than
-- the last committed change. Statement-level triggers: an import's COPY of
-- 100,000 parcels sends one notification, not 100,000.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION parkplan_notify_features() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('parkplan_features', TG_TABLE_NAME);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER town_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON town
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER parcel_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcel
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER protected_area_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON protected_area
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER enterprise_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON enterprise
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
-- A running solve updates its scenario's progress every second: only the
-- columns the layers read (status, published, plan, name) count.
CREATE TRIGGER scenario_notify_features AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF status, published, plan, name ON scenario
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER plan_park_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_park
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER plan_assignment_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_assignment
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER plan_unplaced_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_unplaced
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();
CREATE TRIGGER plan_town_notify_features AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plan_town
    FOR EACH STATEMENT EXECUTE FUNCTION parkplan_notify_features();

-- +goose Down
DROP TRIGGER plan_town_notify_features ON plan_town;
DROP TRIGGER plan_unplaced_notify_features ON plan_unplaced;
DROP TRIGGER plan_assignment_notify_features ON plan_assignment;
DROP TRIGGER plan_park_notify_features ON plan_park;
DROP TRIGGER scenario_notify_features ON scenario;
DROP TRIGGER enterprise_notify_features ON enterprise;
DROP TRIGGER protected_area_notify_features ON protected_area;
DROP TRIGGER parcel_notify_features ON parcel;
DROP TRIGGER town_notify_features ON town;
DROP FUNCTION parkplan_notify_features();
