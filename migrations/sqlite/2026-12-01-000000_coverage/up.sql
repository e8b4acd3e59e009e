-- See the Postgres migration of the same name.
CREATE TABLE coverage_rules (
    rule_id INTEGER PRIMARY KEY AUTOINCREMENT,
    team TEXT CHECK (team = lower(team)),
    kind TEXT NOT NULL CHECK (kind IN ('max_off', 'blackout')),
    max_off INTEGER CHECK (max_off >= 0),
    start_date DATE,
    end_date DATE,
    name TEXT,
    mode TEXT NOT NULL CHECK (mode IN ('warn', 'block')),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CHECK (kind <> 'max_off' OR max_off IS NOT NULL),
    CHECK (kind <> 'blackout' OR (start_date IS NOT NULL AND end_date IS NOT NULL AND name IS NOT NULL)),
    CHECK ((start_date IS NULL) = (end_date IS NULL) AND (end_date IS NULL OR end_date >= start_date))
);
CREATE INDEX coverage_rules_team ON coverage_rules (team);
ALTER TABLE holiday_requests ADD COLUMN coverage TEXT;
