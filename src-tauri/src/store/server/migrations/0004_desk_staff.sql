-- Who is at each desk now (the sidebar's "At the desk"; empty when nobody was chosen): a
-- reminder naming someone waits a little for the desk where they are.
ALTER TABLE desks ADD COLUMN staff text NOT NULL DEFAULT '';
