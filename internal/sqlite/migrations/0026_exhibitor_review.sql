-- An application's history after it was filed (JSON array of steps) and
-- its profile as organizers last approved it (JSON object, '' for none).
ALTER TABLE exhibitors ADD COLUMN history TEXT NOT NULL DEFAULT '[]';
ALTER TABLE exhibitors ADD COLUMN approved TEXT NOT NULL DEFAULT '';
