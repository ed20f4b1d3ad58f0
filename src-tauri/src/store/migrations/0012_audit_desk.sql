-- Which desk a change came from, by the name it shows the others (前台1, 礼宾台). A desk on
-- its own file writes '' (there is one desk); the shared database fills it for each write,
-- and a desk that copies the shared database back keeps the names.
ALTER TABLE audit_log ADD COLUMN desk TEXT NOT NULL DEFAULT '';
