-- The desks sharing this database: the name each shows to the others, and when it was
-- first and last connected (UTC, RFC 3339 with milliseconds, as the desk writes times).
CREATE TABLE desks (
    name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 40),
    first_seen text NOT NULL,
    last_seen  text NOT NULL
);
