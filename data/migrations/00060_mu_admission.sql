-- 00060_mu_admission: 亩均效益 admission (issue 14). A firm's yearly
-- 亩均效益 class (A best … D lowest; null when none is on record), and
-- the figure-and-threshold detail of a firm a plan leaves out.

-- +goose Up
ALTER TABLE enterprise ADD COLUMN mu_class text CHECK (mu_class IN ('A', 'B', 'C', 'D'));
ALTER TABLE plan_unplaced ADD COLUMN detail text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE plan_unplaced DROP COLUMN detail;
ALTER TABLE enterprise DROP COLUMN mu_class;
