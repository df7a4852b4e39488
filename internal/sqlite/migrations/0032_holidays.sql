-- The days off and worked weekend days that working-day deadlines count
-- with, one row a date written 2006-01-02, so that text order is date order.
CREATE TABLE holidays (
	date    TEXT PRIMARY KEY,
	name    TEXT NOT NULL,
	name_en TEXT NOT NULL,
	kind    TEXT NOT NULL
);
