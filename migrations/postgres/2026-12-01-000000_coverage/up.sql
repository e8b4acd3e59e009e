-- Coverage rules: "at most N of a team off on one day" and blackout periods, each warning or
-- blocking. `team` is the manager whose team it covers (they and their reports); NULL covers
-- the whole company. A max_off rule may be limited to a period; a blackout always has one.
CREATE TABLE coverage_rules (
    rule_id SERIAL PRIMARY KEY,
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

-- What the coverage rules said when the request was made ("3 of 8 off on Tue 4 Mar, limit 2"),
-- one sentence a line, for whoever decides it; NULL when nothing applied.
ALTER TABLE holiday_requests ADD COLUMN coverage TEXT;
