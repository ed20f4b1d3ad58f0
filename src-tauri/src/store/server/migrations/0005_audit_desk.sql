-- Which desk a change came from, by the name it shows the others (前台1, 礼宾台): the
-- writing transaction names it (fd.desk, set with who and when), so every row the triggers
-- write carries it without their help. Rows from before this say ''.
ALTER TABLE audit_log ADD COLUMN desk text COLLATE "C" NOT NULL
    DEFAULT coalesce(current_setting('fd.desk', true), '');
