-- Reminders: manual reminders people set, and every reminder occurrence from any source
-- (visits, complaint deadlines, special dates, keep-in-touch, manual), kept as history.
CREATE TABLE manual_reminders (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER REFERENCES customers (id),
    text          TEXT NOT NULL CHECK (length(text) > 0),
    due_at        TEXT NOT NULL,             -- UTC of the next occurrence
    repeat_unit   TEXT CHECK (repeat_unit IN ('day','week','month','year')),
    repeat_every  INTEGER CHECK (repeat_every > 0),
    repeat_anchor TEXT,                      -- local time of the first occurrence
    repeat_index  INTEGER NOT NULL DEFAULT 0,
    staff         TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0,1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE reminders (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('visit','complaint_warning','complaint_escalation','birthday',
                                              'anniversary','keep_in_touch','manual')),
    key         TEXT NOT NULL UNIQUE,        -- one row per occurrence, whatever re-plans it
    customer_id INTEGER REFERENCES customers (id),
    source_id   INTEGER,                     -- the visit, complaint or manual reminder
    due_at      TEXT NOT NULL,               -- UTC: when it is due
    wake_at     TEXT NOT NULL,               -- UTC: when it pops (due, or the end of a snooze)
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','fired','snoozed','done','dismissed')),
    fired_at    TEXT,
    late        INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0,1)),
    args        TEXT NOT NULL DEFAULT '{}',  -- JSON the texts are rendered from, in the UI language
    staff       TEXT NOT NULL DEFAULT '',
    closed_at   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX reminders_wake ON reminders (state, wake_at);
-- The reminder center's "to do" list, in wake order.
CREATE INDEX reminders_open ON reminders (wake_at) WHERE state IN ('pending', 'fired', 'snoozed');
CREATE INDEX reminders_customer ON reminders (customer_id);
CREATE INDEX reminders_source ON reminders (kind, source_id, state);
