-- Customer records, their special dates, their history, and app settings.
CREATE TABLE customers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL CHECK (length(name) > 0),
    phones        TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings, as typed
    wechat        TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    company       TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL CHECK (source IN ('walk_in','phone','referral','online','other')),
    first_contact TEXT NOT NULL DEFAULT '',
    tier          TEXT NOT NULL CHECK (tier IN ('vip','major','regular','small')),
    tags          TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    notes         TEXT NOT NULL DEFAULT '',
    preferences   TEXT NOT NULL DEFAULT '[]',   -- JSON array of {kind, text}
    search_text   TEXT NOT NULL,                -- normalised by Rust: name, pinyin, initials
    search_other  TEXT NOT NULL,                -- normalised by Rust: phones, company, tags, notes
    name_key      TEXT NOT NULL,                -- sort key (pinyin or lower-case name)
    archived_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Birthday, anniversary, …: one row per kind and customer, gregorian or lunar.
CREATE TABLE special_dates (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('birthday','anniversary')),
    calendar    TEXT NOT NULL CHECK (calendar IN ('gregorian','lunar')),
    year        INTEGER,
    month       INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day         INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    leap_month  INTEGER NOT NULL DEFAULT 0 CHECK (leap_month IN (0,1)),
    PRIMARY KEY (customer_id, kind)
) WITHOUT ROWID;
CREATE INDEX special_dates_month_day ON special_dates (calendar, month, day);

-- The customer's timeline; later capabilities add their own rows or tables.
CREATE TABLE customer_events (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_events_customer ON customer_events (customer_id, at);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
