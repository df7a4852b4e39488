-- Optional English names of ticket types and titles of agenda sessions;
-- empty means the Vietnamese text serves every language.
ALTER TABLE ticket_types ADD COLUMN name_en TEXT NOT NULL DEFAULT '';
ALTER TABLE agenda_items ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
