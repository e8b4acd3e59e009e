ALTER TABLE holiday_requests DROP COLUMN coverage;
DROP TABLE coverage_rules;
