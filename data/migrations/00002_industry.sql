-- 00002_industry: industries and which count as related (H2).

-- +goose Up
CREATE TABLE industry (
    code    text PRIMARY KEY CHECK (code ~ '^[^[:space:];,]+$'),
    name_zh text NOT NULL DEFAULT '',
    name_en text NOT NULL DEFAULT ''
);

CREATE TABLE industry_related (
    industry text NOT NULL REFERENCES industry (code) ON DELETE CASCADE,
    related  text NOT NULL REFERENCES industry (code) ON DELETE CASCADE,
    PRIMARY KEY (industry, related),
    CHECK (industry <> related)
);

-- +goose Down
DROP TABLE industry_related;
DROP TABLE industry;
